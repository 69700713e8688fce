using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Marketplace.Notifications.Data.Migrations
{
    /// <inheritdoc />
    public partial class ShopperChoices : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "email",
                schema: "notifications",
                table: "shopper_orders",
                type: "character varying(256)",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "user_id",
                schema: "notifications",
                table: "shopper_orders",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "chosen_at",
                schema: "notifications",
                table: "people",
                type: "timestamp with time zone",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "email",
                schema: "notifications",
                table: "shopper_orders");

            migrationBuilder.DropColumn(
                name: "user_id",
                schema: "notifications",
                table: "shopper_orders");

            migrationBuilder.DropColumn(
                name: "chosen_at",
                schema: "notifications",
                table: "people");
        }
    }
}
