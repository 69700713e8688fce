using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Marketplace.Orders.Settlement.Data.Migrations
{
    /// <inheritdoc />
    public partial class DisputesAndStripePayouts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "held_for_dispute_rupiah",
                schema: "settlement",
                table: "sale_lines",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateTable(
                name: "stripe_payouts",
                schema: "settlement",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    cooperative_id = table.Column<Guid>(type: "uuid", nullable: false),
                    stripe_account_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    amount_rupiah = table.Column<long>(type: "bigint", nullable: false),
                    arrival_date = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_stripe_payouts", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "stripe_payout_lines",
                schema: "settlement",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    payout_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    position = table.Column<int>(type: "integer", nullable: false),
                    transaction_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    source = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    amount_rupiah = table.Column<long>(type: "bigint", nullable: false),
                    fee_rupiah = table.Column<long>(type: "bigint", nullable: false),
                    net_rupiah = table.Column<long>(type: "bigint", nullable: false),
                    order_id = table.Column<Guid>(type: "uuid", nullable: true),
                    refund_id = table.Column<Guid>(type: "uuid", nullable: true),
                    dispute_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    ledger_source = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_stripe_payout_lines", x => x.id);
                    table.ForeignKey(
                        name: "fk_stripe_payout_lines_stripe_payouts_payout_id",
                        column: x => x.payout_id,
                        principalSchema: "settlement",
                        principalTable: "stripe_payouts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_stripe_payout_lines_payout_id_position",
                schema: "settlement",
                table: "stripe_payout_lines",
                columns: new[] { "payout_id", "position" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_stripe_payouts_cooperative_id_arrival_date",
                schema: "settlement",
                table: "stripe_payouts",
                columns: new[] { "cooperative_id", "arrival_date" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "stripe_payout_lines",
                schema: "settlement");

            migrationBuilder.DropTable(
                name: "stripe_payouts",
                schema: "settlement");

            migrationBuilder.DropColumn(
                name: "held_for_dispute_rupiah",
                schema: "settlement",
                table: "sale_lines");
        }
    }
}
