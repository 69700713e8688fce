using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Marketplace.Orders.Data.Migrations
{
    /// <inheritdoc />
    public partial class StripeDisputesAndPayouts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "order_disputes",
                schema: "orders",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    order_id = table.Column<Guid>(type: "uuid", nullable: false),
                    cooperative_id = table.Column<Guid>(type: "uuid", nullable: false),
                    stripe_account_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    charge_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    amount_rupiah = table.Column<long>(type: "bigint", nullable: false),
                    fee_rupiah = table.Column<long>(type: "bigint", nullable: false),
                    returned_rupiah = table.Column<long>(type: "bigint", nullable: false),
                    reason = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    status = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    due_by = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    opened_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    closed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_order_disputes", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "stripe_payouts",
                schema: "orders",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    cooperative_id = table.Column<Guid>(type: "uuid", nullable: false),
                    stripe_account_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    amount_rupiah = table.Column<long>(type: "bigint", nullable: false),
                    arrival_date = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    transaction_count = table.Column<int>(type: "integer", nullable: false),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_stripe_payouts", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_order_disputes_cooperative_id_closed_at_due_by",
                schema: "orders",
                table: "order_disputes",
                columns: new[] { "cooperative_id", "closed_at", "due_by" });

            migrationBuilder.CreateIndex(
                name: "ix_order_disputes_order_id",
                schema: "orders",
                table: "order_disputes",
                column: "order_id");

            // A dispute and a payout's charges find their orders by Stripe's PaymentIntent (the order's payment reference).
            migrationBuilder.Sql("CREATE INDEX IF NOT EXISTS ix_orders_payment_reference ON orders.orders (payment_reference) WHERE payment_reference IS NOT NULL;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX IF EXISTS orders.ix_orders_payment_reference;");

            migrationBuilder.DropTable(
                name: "order_disputes",
                schema: "orders");

            migrationBuilder.DropTable(
                name: "stripe_payouts",
                schema: "orders");
        }
    }
}
