using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Marketplace.Orders.Data.Migrations
{
    /// <inheritdoc />
    public partial class MerchantFeePolicyAndHours : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "active",
                schema: "orders",
                table: "merchants",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "category_fee_percents",
                schema: "orders",
                table: "merchants",
                type: "jsonb",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "kiosk_opening_hours",
                schema: "orders",
                table: "merchants",
                type: "jsonb",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<long>(
                name: "revision",
                schema: "orders",
                table: "merchants",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<string>(
                name: "time_zone",
                schema: "orders",
                table: "merchants",
                type: "character varying(60)",
                maxLength: 60,
                nullable: false,
                defaultValue: "");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "active",
                schema: "orders",
                table: "merchants");

            migrationBuilder.DropColumn(
                name: "category_fee_percents",
                schema: "orders",
                table: "merchants");

            migrationBuilder.DropColumn(
                name: "kiosk_opening_hours",
                schema: "orders",
                table: "merchants");

            migrationBuilder.DropColumn(
                name: "revision",
                schema: "orders",
                table: "merchants");

            migrationBuilder.DropColumn(
                name: "time_zone",
                schema: "orders",
                table: "merchants");
        }
    }
}
