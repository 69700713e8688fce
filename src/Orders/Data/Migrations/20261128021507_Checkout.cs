using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Marketplace.Orders.Data.Migrations
{
    /// <inheritdoc />
    public partial class Checkout : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "shipping_rates",
                schema: "orders",
                table: "merchants",
                type: "jsonb",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "stripe_account_id",
                schema: "orders",
                table: "merchants",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "baskets",
                schema: "orders",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    owner = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    cooperative_id = table.Column<Guid>(type: "uuid", nullable: false),
                    lines = table.Column<string>(type: "jsonb", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_baskets", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "orders",
                schema: "orders",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    cooperative_id = table.Column<Guid>(type: "uuid", nullable: false),
                    owner = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    pickup_code = table.Column<string>(type: "character varying(6)", maxLength: 6, nullable: false),
                    contact = table.Column<string>(type: "jsonb", nullable: false),
                    fulfilment = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    pickup_date = table.Column<DateOnly>(type: "date", nullable: true),
                    shipping_address = table.Column<string>(type: "jsonb", nullable: true),
                    payment_method = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    lines = table.Column<string>(type: "jsonb", nullable: false),
                    items_total_rupiah = table.Column<long>(type: "bigint", nullable: false),
                    shipping_rupiah = table.Column<long>(type: "bigint", nullable: false),
                    total_rupiah = table.Column<long>(type: "bigint", nullable: false),
                    status = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    shortages = table.Column<string>(type: "jsonb", nullable: false),
                    reserved_until = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    checkout_session_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    stripe_account_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    stock_confirmed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    checkout_url = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    payment_deadline = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    payment_reference = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    placed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    paid_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    closed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    courier = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    tracking_number = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: true),
                    shipped_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    fulfilled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    refunded_rupiah = table.Column<long>(type: "bigint", nullable: false),
                    shipping_refunded = table.Column<bool>(type: "boolean", nullable: false),
                    cancelled_by = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_orders", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "processed_stripe_events",
                schema: "orders",
                columns: table => new
                {
                    event_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    type = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_processed_stripe_events", x => x.event_id);
                });

            migrationBuilder.CreateTable(
                name: "refunds",
                schema: "orders",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    order_id = table.Column<Guid>(type: "uuid", nullable: false),
                    cooperative_id = table.Column<Guid>(type: "uuid", nullable: false),
                    request_key = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    method = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    lines = table.Column<string>(type: "jsonb", nullable: false),
                    shipping_rupiah = table.Column<long>(type: "bigint", nullable: false),
                    total_rupiah = table.Column<long>(type: "bigint", nullable: false),
                    status = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    stripe_refund_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    failure_reason = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    completed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_refunds", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_baskets_owner_cooperative_id",
                schema: "orders",
                table: "baskets",
                columns: new[] { "owner", "cooperative_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_orders_checkout_session_id",
                schema: "orders",
                table: "orders",
                column: "checkout_session_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_orders_cooperative_id_pickup_code",
                schema: "orders",
                table: "orders",
                columns: new[] { "cooperative_id", "pickup_code" });

            migrationBuilder.CreateIndex(
                name: "ix_orders_owner",
                schema: "orders",
                table: "orders",
                column: "owner");

            migrationBuilder.CreateIndex(
                name: "ix_orders_status_payment_deadline",
                schema: "orders",
                table: "orders",
                columns: new[] { "status", "payment_deadline" });

            migrationBuilder.CreateIndex(
                name: "ix_refunds_order_id_request_key",
                schema: "orders",
                table: "refunds",
                columns: new[] { "order_id", "request_key" },
                unique: true);

            // Members find their lines across orders with "lines @> [{memberId}]".
            migrationBuilder.Sql("CREATE INDEX ix_orders_lines ON orders.orders USING gin (lines jsonb_path_ops);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "baskets",
                schema: "orders");

            migrationBuilder.DropTable(
                name: "orders",
                schema: "orders");

            migrationBuilder.DropTable(
                name: "processed_stripe_events",
                schema: "orders");

            migrationBuilder.DropTable(
                name: "refunds",
                schema: "orders");

            migrationBuilder.DropColumn(
                name: "shipping_rates",
                schema: "orders",
                table: "merchants");

            migrationBuilder.DropColumn(
                name: "stripe_account_id",
                schema: "orders",
                table: "merchants");
        }
    }
}
