using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Marketplace.Orders.Data.Migrations
{
    /// <inheritdoc />
    public partial class ReceiptsAndKuitansi : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "kuitansi",
                schema: "orders",
                table: "orders",
                type: "jsonb",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "address",
                schema: "orders",
                table: "merchants",
                type: "character varying(300)",
                maxLength: 300,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "npwp",
                schema: "orders",
                table: "merchants",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "kuitansi",
                schema: "orders",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "address",
                schema: "orders",
                table: "merchants");

            migrationBuilder.DropColumn(
                name: "npwp",
                schema: "orders",
                table: "merchants");
        }
    }
}
