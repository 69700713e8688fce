using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Marketplace.Orders.Data.Migrations
{
    /// <inheritdoc />
    public partial class StripeConnectOnboarding : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // An account id typed by hand proved nothing (and two cooperatives could have typed the same one): each
            // cooperative connects again through Stripe's onboarding. The local run's demo seed reconnects its own.
            migrationBuilder.Sql("UPDATE orders.merchants SET stripe_account_id = NULL;");

            migrationBuilder.AddColumn<string>(
                name: "stripe_account",
                schema: "orders",
                table: "merchants",
                type: "jsonb",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_merchants_stripe_account_id",
                schema: "orders",
                table: "merchants",
                column: "stripe_account_id",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_merchants_stripe_account_id",
                schema: "orders",
                table: "merchants");

            migrationBuilder.DropColumn(
                name: "stripe_account",
                schema: "orders",
                table: "merchants");
        }
    }
}
