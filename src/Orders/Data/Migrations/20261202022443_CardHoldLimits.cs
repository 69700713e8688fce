using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Marketplace.Orders.Data.Migrations
{
    /// <inheritdoc />
    public partial class CardHoldLimits : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_orders_open_by_client",
                schema: "orders",
                table: "orders");

            migrationBuilder.DropIndex(
                name: "ix_orders_open_by_whatsapp",
                schema: "orders",
                table: "orders");

            migrationBuilder.CreateIndex(
                name: "ix_orders_open_by_client",
                schema: "orders",
                table: "orders",
                columns: new[] { "cooperative_id", "client_address" },
                filter: "status IN ('Reserving', 'AwaitingKioskPayment', 'AwaitingPayment', 'ConfirmingPayment')");

            migrationBuilder.CreateIndex(
                name: "ix_orders_open_by_whatsapp",
                schema: "orders",
                table: "orders",
                columns: new[] { "cooperative_id", "buyer_whats_app" },
                filter: "status IN ('Reserving', 'AwaitingKioskPayment', 'AwaitingPayment', 'ConfirmingPayment')");
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
        }
    }
}
