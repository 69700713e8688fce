using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Marketplace.Orders.Data.Migrations
{
    /// <inheritdoc />
    public partial class KioskHoldLimits : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "buyer_whats_app",
                schema: "orders",
                table: "orders",
                type: "character varying(20)",
                maxLength: 20,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "cancel_reason",
                schema: "orders",
                table: "orders",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "client_address",
                schema: "orders",
                table: "orders",
                type: "character varying(45)",
                maxLength: 45,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "kiosk_max_open_per_client",
                schema: "orders",
                table: "merchants",
                type: "integer",
                nullable: false,
                defaultValue: 10);

            migrationBuilder.AddColumn<int>(
                name: "kiosk_max_open_per_phone",
                schema: "orders",
                table: "merchants",
                type: "integer",
                nullable: false,
                defaultValue: 3);

            migrationBuilder.AddColumn<int>(
                name: "kiosk_max_share_percent",
                schema: "orders",
                table: "merchants",
                type: "integer",
                nullable: false,
                defaultValue: 50);

            migrationBuilder.AddColumn<int>(
                name: "kiosk_pickup_days_ahead",
                schema: "orders",
                table: "merchants",
                type: "integer",
                nullable: false,
                defaultValue: 3);

            // Orders still open when this runs are counted per number too.
            migrationBuilder.Sql("""
                UPDATE orders.orders SET buyer_whats_app = left(coalesce(contact::jsonb ->> 'whatsApp', ''), 20)
                WHERE status IN ('Reserving', 'AwaitingKioskPayment', 'AwaitingPayment')
                """);

            migrationBuilder.CreateIndex(
                name: "ix_orders_open_by_client",
                schema: "orders",
                table: "orders",
                columns: new[] { "cooperative_id", "client_address" },
                filter: "status IN ('Reserving', 'AwaitingKioskPayment')");

            migrationBuilder.CreateIndex(
                name: "ix_orders_open_by_whatsapp",
                schema: "orders",
                table: "orders",
                columns: new[] { "cooperative_id", "buyer_whats_app" },
                filter: "status IN ('Reserving', 'AwaitingKioskPayment')");

            migrationBuilder.CreateIndex(
                name: "ix_baskets_guest_updated_at",
                schema: "orders",
                table: "baskets",
                column: "updated_at",
                filter: "owner LIKE 'guest:%'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_orders_open_by_client",
                schema: "orders",
                table: "orders");

            migrationBuilder.DropIndex(
                name: "ix_orders_open_by_whatsapp",
                schema: "orders",
                table: "orders");

            migrationBuilder.DropIndex(
                name: "ix_baskets_guest_updated_at",
                schema: "orders",
                table: "baskets");

            migrationBuilder.DropColumn(
                name: "buyer_whats_app",
                schema: "orders",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "cancel_reason",
                schema: "orders",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "client_address",
                schema: "orders",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "kiosk_max_open_per_client",
                schema: "orders",
                table: "merchants");

            migrationBuilder.DropColumn(
                name: "kiosk_max_open_per_phone",
                schema: "orders",
                table: "merchants");

            migrationBuilder.DropColumn(
                name: "kiosk_max_share_percent",
                schema: "orders",
                table: "merchants");

            migrationBuilder.DropColumn(
                name: "kiosk_pickup_days_ahead",
                schema: "orders",
                table: "merchants");
        }
    }
}
