using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Marketplace.Orders.Data.Migrations
{
    /// <inheritdoc />
    public partial class HoldAndGuestBasketLimits : Migration
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

            migrationBuilder.AddColumn<string>(
                name: "client_address",
                schema: "orders",
                table: "baskets",
                type: "character varying(45)",
                maxLength: 45,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "opened_at",
                schema: "orders",
                table: "baskets",
                type: "timestamp with time zone",
                nullable: true);

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

            migrationBuilder.CreateIndex(
                name: "ix_baskets_guest_opened_by_client",
                schema: "orders",
                table: "baskets",
                columns: new[] { "client_address", "opened_at" },
                filter: "client_address IS NOT NULL");
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
                name: "ix_baskets_guest_opened_by_client",
                schema: "orders",
                table: "baskets");

            migrationBuilder.DropColumn(
                name: "client_address",
                schema: "orders",
                table: "baskets");

            migrationBuilder.DropColumn(
                name: "opened_at",
                schema: "orders",
                table: "baskets");

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
