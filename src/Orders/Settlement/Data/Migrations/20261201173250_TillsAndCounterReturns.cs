using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Marketplace.Orders.Settlement.Data.Migrations
{
    /// <inheritdoc />
    public partial class TillsAndCounterReturns : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_goods_costs_order_id_variant_id_kind",
                schema: "settlement",
                table: "goods_costs");

            migrationBuilder.AddColumn<uint>(
                name: "xmin",
                schema: "settlement",
                table: "sale_lines",
                type: "xid",
                rowVersion: true,
                nullable: false,
                defaultValue: 0u);

            migrationBuilder.AddColumn<Guid>(
                name: "refund_id",
                schema: "settlement",
                table: "goods_costs",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            migrationBuilder.CreateTable(
                name: "till_differences",
                schema: "settlement",
                columns: table => new
                {
                    till_session_id = table.Column<Guid>(type: "uuid", nullable: false),
                    cooperative_id = table.Column<Guid>(type: "uuid", nullable: false),
                    revision = table.Column<int>(type: "integer", nullable: false),
                    difference_rupiah = table.Column<long>(type: "bigint", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_till_differences", x => x.till_session_id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_goods_costs_order_id_variant_id_kind_refund_id",
                schema: "settlement",
                table: "goods_costs",
                columns: new[] { "order_id", "variant_id", "kind", "refund_id" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "till_differences",
                schema: "settlement");

            migrationBuilder.DropIndex(
                name: "ix_goods_costs_order_id_variant_id_kind_refund_id",
                schema: "settlement",
                table: "goods_costs");

            migrationBuilder.DropColumn(
                name: "xmin",
                schema: "settlement",
                table: "sale_lines");

            migrationBuilder.DropColumn(
                name: "refund_id",
                schema: "settlement",
                table: "goods_costs");

            migrationBuilder.CreateIndex(
                name: "ix_goods_costs_order_id_variant_id_kind",
                schema: "settlement",
                table: "goods_costs",
                columns: new[] { "order_id", "variant_id", "kind" },
                unique: true);
        }
    }
}
