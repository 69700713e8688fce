using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Marketplace.Catalog.Data.Migrations
{
    /// <inheritdoc />
    public partial class CounterStock : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "counter_stock_keys",
                schema: "catalog",
                columns: table => new
                {
                    key = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    order_id = table.Column<Guid>(type: "uuid", nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_counter_stock_keys", x => x.key);
                    table.CheckConstraint("ck_counter_stock_keys_kind", "kind IN ('sale','return')");
                });

            migrationBuilder.CreateTable(
                name: "stock_shortages",
                schema: "catalog",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    cooperative_id = table.Column<Guid>(type: "uuid", nullable: false),
                    variant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    order_id = table.Column<Guid>(type: "uuid", nullable: false),
                    quantity = table.Column<int>(type: "integer", nullable: false),
                    returned = table.Column<int>(type: "integer", nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    resolved_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    resolved_by = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_stock_shortages", x => x.id);
                    table.CheckConstraint("ck_stock_shortages_quantity", "quantity > 0 AND returned >= 0 AND returned <= quantity");
                    table.CheckConstraint("ck_stock_shortages_resolved_by", "resolved_by IS NULL OR resolved_by IN ('count','return')");
                    table.ForeignKey(
                        name: "fk_stock_shortages_variants_variant_id",
                        column: x => x.variant_id,
                        principalSchema: "catalog",
                        principalTable: "variants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_stock_shortages_open",
                schema: "catalog",
                table: "stock_shortages",
                columns: new[] { "cooperative_id", "variant_id" },
                filter: "resolved_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_stock_shortages_order_id_variant_id",
                schema: "catalog",
                table: "stock_shortages",
                columns: new[] { "order_id", "variant_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_stock_shortages_variant_id",
                schema: "catalog",
                table: "stock_shortages",
                column: "variant_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "counter_stock_keys",
                schema: "catalog");

            migrationBuilder.DropTable(
                name: "stock_shortages",
                schema: "catalog");
        }
    }
}
