using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Marketplace.Gateway.Data.Migrations
{
    /// <inheritdoc />
    public partial class KioskClerkRole : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.InsertData(
                schema: "gateway",
                table: "roles",
                columns: new[] { "id", "concurrency_stamp", "name", "normalized_name" },
                values: new object[] { new Guid("0195f1d2-0000-7000-8000-000000000005"), "0195f1d2-0000-7000-8000-000000000005", "kiosk-clerk", "KIOSK-CLERK" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DeleteData(
                schema: "gateway",
                table: "roles",
                keyColumn: "id",
                keyValue: new Guid("0195f1d2-0000-7000-8000-000000000005"));
        }
    }
}
