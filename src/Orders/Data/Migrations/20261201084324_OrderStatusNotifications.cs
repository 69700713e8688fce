using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Marketplace.Orders.Data.Migrations
{
    /// <summary>
    /// Every replica hears at once when an order's status changes (see <c>OrderChangeWaiters</c>): a shopper's page
    /// waiting for its Checkout Session or its payment is answered without asking again and again.
    /// </summary>
    public partial class OrderStatusNotifications : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION orders.notify_order_status() RETURNS trigger LANGUAGE plpgsql AS $body$
                BEGIN
                    PERFORM pg_notify('orders.order_status', NEW.id::text);
                    RETURN NULL;
                END
                $body$;
                CREATE TRIGGER orders_status_notify
                    AFTER UPDATE OF status ON orders.orders
                    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
                    EXECUTE FUNCTION orders.notify_order_status();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS orders_status_notify ON orders.orders;
                DROP FUNCTION IF EXISTS orders.notify_order_status();
                """);
        }
    }
}
