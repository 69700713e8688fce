using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Marketplace.Orders.Data.Migrations
{
    /// <inheritdoc />
    public partial class KioskPaymentsApartFromSales : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "kiosk_payments_count",
                schema: "orders",
                table: "till_sessions",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<long>(
                name: "kiosk_payments_rupiah",
                schema: "orders",
                table: "till_sessions",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            // Cash taken before for online orders paid at the kiosk was counted as walk-in sales: moved to its own figures.
            // The drawer's expected cash is the same before and after.
            migrationBuilder.Sql("""
                UPDATE orders.till_movements m SET kind = 'OrderPaid'
                FROM orders.orders o
                WHERE o.id = m.order_id AND m.kind = 'Sale' AND o.counter IS NULL;

                WITH paid AS (
                    SELECT till_session_id, count(*) AS payments, sum(amount_rupiah) AS rupiah
                    FROM orders.till_movements WHERE kind = 'OrderPaid' GROUP BY till_session_id)
                UPDATE orders.till_sessions s
                SET kiosk_payments_count = paid.payments, kiosk_payments_rupiah = paid.rupiah,
                    cash_sales_count = s.cash_sales_count - paid.payments, cash_sales_rupiah = s.cash_sales_rupiah - paid.rupiah
                FROM paid WHERE paid.till_session_id = s.id;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                UPDATE orders.till_sessions
                SET cash_sales_count = cash_sales_count + kiosk_payments_count, cash_sales_rupiah = cash_sales_rupiah + kiosk_payments_rupiah;
                UPDATE orders.till_movements SET kind = 'Sale' WHERE kind = 'OrderPaid';
                """);

            migrationBuilder.DropColumn(
                name: "kiosk_payments_count",
                schema: "orders",
                table: "till_sessions");

            migrationBuilder.DropColumn(
                name: "kiosk_payments_rupiah",
                schema: "orders",
                table: "till_sessions");
        }
    }
}
