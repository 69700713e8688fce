using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Marketplace.Orders.Settlement.Data.Migrations
{
    /// <summary>
    /// Costs and laba: what the goods cost their members (from Catalog's batches), other costs of members and of the
    /// cooperative, and the product of each sale line. Lines booked before learn their product from Orders' own order
    /// (same database, read once here); where that is gone they keep being reported by name.
    /// </summary>
    public partial class CostsAndLaba : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "product_id",
                schema: "settlement",
                table: "sale_lines",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "variant_id",
                schema: "settlement",
                table: "sale_lines",
                type: "uuid",
                nullable: true);

            migrationBuilder.Sql("""
                DO $$
                BEGIN
                    IF to_regclass('orders.orders') IS NOT NULL THEN
                        UPDATE settlement.sale_lines s
                        SET product_id = (l->>'productId')::uuid, variant_id = (l->>'variantId')::uuid
                        FROM orders.orders o, jsonb_array_elements(o.lines) l
                        WHERE o.id = s.order_id AND (l->>'id')::uuid = s.order_line_id AND s.product_id IS NULL;
                    END IF;
                END $$;
                """);

            migrationBuilder.CreateTable(
                name: "goods_costs",
                schema: "settlement",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    cooperative_id = table.Column<Guid>(type: "uuid", nullable: false),
                    order_id = table.Column<Guid>(type: "uuid", nullable: false),
                    variant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    product_id = table.Column<Guid>(type: "uuid", nullable: false),
                    member_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    quantity = table.Column<int>(type: "integer", nullable: false),
                    cost_rupiah = table.Column<long>(type: "bigint", nullable: false),
                    cost_known = table.Column<bool>(type: "boolean", nullable: false),
                    sold_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_goods_costs", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "other_costs",
                schema: "settlement",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    cooperative_id = table.Column<Guid>(type: "uuid", nullable: false),
                    member_id = table.Column<Guid>(type: "uuid", nullable: true),
                    category = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    amount_rupiah = table.Column<long>(type: "bigint", nullable: false),
                    date = table.Column<DateOnly>(type: "date", nullable: false),
                    note = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    recorded_by = table.Column<Guid>(type: "uuid", nullable: false),
                    recorded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    replaces = table.Column<Guid>(type: "uuid", nullable: true),
                    deleted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    deleted_by = table.Column<Guid>(type: "uuid", nullable: true),
                    deleted_reason = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    replaced_by = table.Column<Guid>(type: "uuid", nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_other_costs", x => x.id);
                    table.CheckConstraint("ck_other_costs_amount_positive", "amount_rupiah > 0");
                });

            migrationBuilder.CreateIndex(
                name: "ix_sale_lines_member_id_sold_at",
                schema: "settlement",
                table: "sale_lines",
                columns: new[] { "member_id", "sold_at" });

            migrationBuilder.CreateIndex(
                name: "ix_goods_costs_cooperative_id_member_id_sold_at",
                schema: "settlement",
                table: "goods_costs",
                columns: new[] { "cooperative_id", "member_id", "sold_at" });

            migrationBuilder.CreateIndex(
                name: "ix_goods_costs_order_id_variant_id_kind",
                schema: "settlement",
                table: "goods_costs",
                columns: new[] { "order_id", "variant_id", "kind" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_other_costs_cooperative_id_member_id_date",
                schema: "settlement",
                table: "other_costs",
                columns: new[] { "cooperative_id", "member_id", "date" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "goods_costs",
                schema: "settlement");

            migrationBuilder.DropTable(
                name: "other_costs",
                schema: "settlement");

            migrationBuilder.DropIndex(
                name: "ix_sale_lines_member_id_sold_at",
                schema: "settlement",
                table: "sale_lines");

            migrationBuilder.DropColumn(
                name: "product_id",
                schema: "settlement",
                table: "sale_lines");

            migrationBuilder.DropColumn(
                name: "variant_id",
                schema: "settlement",
                table: "sale_lines");
        }
    }
}
