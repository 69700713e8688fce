using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Marketplace.Orders.Data.Migrations
{
    /// <inheritdoc />
    public partial class OrderPaymentChannel : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "payment_channel",
                schema: "orders",
                table: "orders",
                type: "character varying(10)",
                maxLength: 10,
                nullable: true);

            // Kiosk payments used to write their channel into the reference ("cash", "qris", "qris:<ref>"): the channel
            // gets its own column, and the reference keeps only what the kiosk noted.
            migrationBuilder.Sql("""
                UPDATE orders.orders SET
                    payment_channel = CASE
                        WHEN payment_method = 'Card' THEN 'Card'
                        WHEN payment_reference LIKE 'qris%' THEN 'Qris'
                        ELSE 'Cash' END,
                    payment_reference = CASE
                        WHEN payment_method = 'Card' THEN payment_reference
                        WHEN position(':' in payment_reference) > 0 THEN substring(payment_reference from position(':' in payment_reference) + 1)
                        ELSE NULL END
                WHERE paid_at IS NOT NULL;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                UPDATE orders.orders SET payment_reference = CASE
                    WHEN payment_channel = 'Qris' AND payment_reference IS NOT NULL THEN 'qris:' || payment_reference
                    WHEN payment_channel = 'Qris' THEN 'qris'
                    WHEN payment_channel = 'Cash' THEN 'cash'
                    ELSE payment_reference END
                WHERE paid_at IS NOT NULL;
                """);

            migrationBuilder.DropColumn(
                name: "payment_channel",
                schema: "orders",
                table: "orders");
        }
    }
}
