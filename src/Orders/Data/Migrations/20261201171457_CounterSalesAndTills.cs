using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Marketplace.Orders.Data.Migrations
{
    /// <inheritdoc />
    public partial class CounterSalesAndTills : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "counter",
                schema: "orders",
                table: "orders",
                type: "jsonb",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "counter_flagged",
                schema: "orders",
                table: "orders",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "receipt_number",
                schema: "orders",
                table: "orders",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "till_session_id",
                schema: "orders",
                table: "orders",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "qris_payload",
                schema: "orders",
                table: "merchants",
                type: "character varying(512)",
                maxLength: 512,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "till_difference_review_rupiah",
                schema: "orders",
                table: "merchants",
                type: "bigint",
                nullable: false,
                defaultValue: 10000L);

            migrationBuilder.AddColumn<string>(
                name: "display_name",
                schema: "orders",
                table: "member_holidays",
                type: "character varying(120)",
                maxLength: 120,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "receipt_counters",
                schema: "orders",
                columns: table => new
                {
                    cooperative_id = table.Column<Guid>(type: "uuid", nullable: false),
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    last = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_receipt_counters", x => new { x.cooperative_id, x.day });
                });

            migrationBuilder.CreateTable(
                name: "till_movements",
                schema: "orders",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    till_session_id = table.Column<Guid>(type: "uuid", nullable: false),
                    cooperative_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    amount_rupiah = table.Column<long>(type: "bigint", nullable: false),
                    reason = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    order_id = table.Column<Guid>(type: "uuid", nullable: true),
                    refund_id = table.Column<Guid>(type: "uuid", nullable: true),
                    by = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_till_movements", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "till_sessions",
                schema: "orders",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    till_id = table.Column<Guid>(type: "uuid", nullable: false),
                    cooperative_id = table.Column<Guid>(type: "uuid", nullable: false),
                    status = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    opened_by = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    opened_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    float_rupiah = table.Column<long>(type: "bigint", nullable: false),
                    cash_sales_rupiah = table.Column<long>(type: "bigint", nullable: false),
                    cash_sales_count = table.Column<int>(type: "integer", nullable: false),
                    qris_sales_rupiah = table.Column<long>(type: "bigint", nullable: false),
                    qris_sales_count = table.Column<int>(type: "integer", nullable: false),
                    cash_refunds_rupiah = table.Column<long>(type: "bigint", nullable: false),
                    refunds_count = table.Column<int>(type: "integer", nullable: false),
                    paid_in_rupiah = table.Column<long>(type: "bigint", nullable: false),
                    paid_out_rupiah = table.Column<long>(type: "bigint", nullable: false),
                    late_sales_count = table.Column<int>(type: "integer", nullable: false),
                    closed_by = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: true),
                    closed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    counted_rupiah = table.Column<long>(type: "bigint", nullable: true),
                    difference_rupiah = table.Column<long>(type: "bigint", nullable: true),
                    difference_revision = table.Column<int>(type: "integer", nullable: false),
                    close_note = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    review_threshold_rupiah = table.Column<long>(type: "bigint", nullable: false),
                    awaits_review = table.Column<bool>(type: "boolean", nullable: false),
                    reviewed_by = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: true),
                    reviewed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    review_note = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_till_sessions", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "tills",
                schema: "orders",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    cooperative_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_tills", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_orders_cooperative_id_receipt_number",
                schema: "orders",
                table: "orders",
                columns: new[] { "cooperative_id", "receipt_number" },
                unique: true,
                filter: "receipt_number IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_orders_counter_flagged",
                schema: "orders",
                table: "orders",
                columns: new[] { "cooperative_id", "placed_at" },
                filter: "counter_flagged");

            migrationBuilder.CreateIndex(
                name: "ix_orders_till_session_id",
                schema: "orders",
                table: "orders",
                column: "till_session_id",
                filter: "till_session_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_till_movements_order_id_kind_refund_id",
                schema: "orders",
                table: "till_movements",
                columns: new[] { "order_id", "kind", "refund_id" },
                unique: true,
                filter: "order_id IS NOT NULL")
                .Annotation("Npgsql:NullsDistinct", false);

            migrationBuilder.CreateIndex(
                name: "ix_till_movements_till_session_id_at",
                schema: "orders",
                table: "till_movements",
                columns: new[] { "till_session_id", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_till_sessions_cooperative_id_opened_at",
                schema: "orders",
                table: "till_sessions",
                columns: new[] { "cooperative_id", "opened_at" });

            migrationBuilder.CreateIndex(
                name: "ix_till_sessions_one_open_per_till",
                schema: "orders",
                table: "till_sessions",
                column: "till_id",
                unique: true,
                filter: "status = 'Open'");

            migrationBuilder.CreateIndex(
                name: "ix_tills_cooperative_id_name",
                schema: "orders",
                table: "tills",
                columns: new[] { "cooperative_id", "name" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "receipt_counters",
                schema: "orders");

            migrationBuilder.DropTable(
                name: "till_movements",
                schema: "orders");

            migrationBuilder.DropTable(
                name: "till_sessions",
                schema: "orders");

            migrationBuilder.DropTable(
                name: "tills",
                schema: "orders");

            migrationBuilder.DropIndex(
                name: "ix_orders_cooperative_id_receipt_number",
                schema: "orders",
                table: "orders");

            migrationBuilder.DropIndex(
                name: "ix_orders_counter_flagged",
                schema: "orders",
                table: "orders");

            migrationBuilder.DropIndex(
                name: "ix_orders_till_session_id",
                schema: "orders",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "counter",
                schema: "orders",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "counter_flagged",
                schema: "orders",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "receipt_number",
                schema: "orders",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "till_session_id",
                schema: "orders",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "qris_payload",
                schema: "orders",
                table: "merchants");

            migrationBuilder.DropColumn(
                name: "till_difference_review_rupiah",
                schema: "orders",
                table: "merchants");

            migrationBuilder.DropColumn(
                name: "display_name",
                schema: "orders",
                table: "member_holidays");
        }
    }
}
