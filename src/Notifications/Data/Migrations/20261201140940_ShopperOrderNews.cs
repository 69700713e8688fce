using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Marketplace.Notifications.Data.Migrations
{
    /// <inheritdoc />
    public partial class ShopperOrderNews : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "kiosk_location",
                schema: "notifications",
                table: "cooperatives",
                type: "character varying(300)",
                maxLength: 300,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "kiosk_opening_hours",
                schema: "notifications",
                table: "cooperatives",
                type: "jsonb",
                nullable: false,
                defaultValue: "[]");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "kiosk_location",
                schema: "notifications",
                table: "cooperatives");

            migrationBuilder.DropColumn(
                name: "kiosk_opening_hours",
                schema: "notifications",
                table: "cooperatives");
        }
    }
}
