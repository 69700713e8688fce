using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Marketplace.Catalog.Data.Migrations
{
    /// <inheritdoc />
    public partial class StockCard : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "low_stock_threshold",
                schema: "catalog",
                table: "variants",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "low_stock_warned",
                schema: "catalog",
                table: "variants",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "expiry_warning_days",
                schema: "catalog",
                table: "cooperatives",
                type: "integer",
                nullable: false,
                defaultValue: 14);

            migrationBuilder.CreateTable(
                name: "deliveries",
                schema: "catalog",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    cooperative_id = table.Column<Guid>(type: "uuid", nullable: false),
                    member_id = table.Column<Guid>(type: "uuid", nullable: false),
                    member_name = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    note = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    announced_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    received_by = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_deliveries", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "stock_batches",
                schema: "catalog",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    variant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    member_id = table.Column<Guid>(type: "uuid", nullable: false),
                    produced_on = table.Column<DateOnly>(type: "date", nullable: true),
                    expires_on = table.Column<DateOnly>(type: "date", nullable: true),
                    cost_per_unit_rupiah = table.Column<long>(type: "bigint", nullable: true),
                    quantity_received = table.Column<int>(type: "integer", nullable: false),
                    remaining = table.Column<int>(type: "integer", nullable: false),
                    delivery_id = table.Column<Guid>(type: "uuid", nullable: true),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_stock_batches", x => x.id);
                    table.CheckConstraint("ck_stock_batches_cost", "cost_per_unit_rupiah IS NULL OR cost_per_unit_rupiah >= 0");
                    table.CheckConstraint("ck_stock_batches_remaining", "remaining >= 0 AND remaining <= quantity_received");
                    table.ForeignKey(
                        name: "fk_stock_batches_variants_variant_id",
                        column: x => x.variant_id,
                        principalSchema: "catalog",
                        principalTable: "variants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "delivery_lines",
                schema: "catalog",
                columns: table => new
                {
                    delivery_id = table.Column<Guid>(type: "uuid", nullable: false),
                    line_no = table.Column<int>(type: "integer", nullable: false),
                    variant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    product_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    variant_label = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    quantity = table.Column<int>(type: "integer", nullable: false),
                    produced_on = table.Column<DateOnly>(type: "date", nullable: true),
                    expires_on = table.Column<DateOnly>(type: "date", nullable: true),
                    cost_per_unit_rupiah = table.Column<long>(type: "bigint", nullable: true),
                    accepted = table.Column<int>(type: "integer", nullable: true),
                    reason = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    batch_id = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_delivery_lines", x => new { x.delivery_id, x.line_no });
                    table.CheckConstraint("ck_delivery_lines_accepted", "accepted IS NULL OR (accepted >= 0 AND accepted <= quantity)");
                    table.CheckConstraint("ck_delivery_lines_quantity", "quantity > 0");
                    table.ForeignKey(
                        name: "fk_delivery_lines_deliveries_delivery_id",
                        column: x => x.delivery_id,
                        principalSchema: "catalog",
                        principalTable: "deliveries",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_delivery_lines_variants_variant_id",
                        column: x => x.variant_id,
                        principalSchema: "catalog",
                        principalTable: "variants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "stock_allocations",
                schema: "catalog",
                columns: table => new
                {
                    order_id = table.Column<Guid>(type: "uuid", nullable: false),
                    batch_id = table.Column<Guid>(type: "uuid", nullable: false),
                    variant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    quantity = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_stock_allocations", x => new { x.order_id, x.batch_id });
                    table.CheckConstraint("ck_stock_allocations_quantity", "quantity > 0");
                    table.ForeignKey(
                        name: "fk_stock_allocations_stock_batches_batch_id",
                        column: x => x.batch_id,
                        principalSchema: "catalog",
                        principalTable: "stock_batches",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "stock_movements",
                schema: "catalog",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    variant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    batch_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    quantity = table.Column<int>(type: "integer", nullable: false),
                    on_hand_after = table.Column<int>(type: "integer", nullable: false),
                    made_by = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    reason = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    order_id = table.Column<Guid>(type: "uuid", nullable: true),
                    delivery_id = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_stock_movements", x => x.id);
                    table.CheckConstraint("ck_stock_movements_kind", "kind IN ('received','sold_online','sold_at_counter','returned','restocked','expired','counted','adjusted')");
                    table.CheckConstraint("ck_stock_movements_quantity", "quantity <> 0");
                    table.ForeignKey(
                        name: "fk_stock_movements_stock_batches_batch_id",
                        column: x => x.batch_id,
                        principalSchema: "catalog",
                        principalTable: "stock_batches",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_stock_movements_variants_variant_id",
                        column: x => x.variant_id,
                        principalSchema: "catalog",
                        principalTable: "variants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_deliveries_cooperative_id_announced_at",
                schema: "catalog",
                table: "deliveries",
                columns: new[] { "cooperative_id", "announced_at" });

            migrationBuilder.CreateIndex(
                name: "ix_deliveries_member_id_announced_at",
                schema: "catalog",
                table: "deliveries",
                columns: new[] { "member_id", "announced_at" });

            migrationBuilder.CreateIndex(
                name: "ix_delivery_lines_variant_id",
                schema: "catalog",
                table: "delivery_lines",
                column: "variant_id");

            migrationBuilder.CreateIndex(
                name: "ix_stock_allocations_batch_id",
                schema: "catalog",
                table: "stock_allocations",
                column: "batch_id");

            migrationBuilder.CreateIndex(
                name: "ix_stock_batches_expiring",
                schema: "catalog",
                table: "stock_batches",
                column: "expires_on",
                filter: "remaining > 0 AND expires_on IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_stock_batches_open",
                schema: "catalog",
                table: "stock_batches",
                columns: new[] { "variant_id", "expires_on" },
                filter: "remaining > 0");

            migrationBuilder.CreateIndex(
                name: "ix_stock_movements_batch_id",
                schema: "catalog",
                table: "stock_movements",
                column: "batch_id");

            migrationBuilder.CreateIndex(
                name: "ix_stock_movements_variant_id_id",
                schema: "catalog",
                table: "stock_movements",
                columns: new[] { "variant_id", "id" },
                descending: new[] { false, true });

            // Today's stock becomes each size's opening: an undated batch without a cost, and a received movement, so on hand
            // is the sum of its card from the start.
            migrationBuilder.Sql("""
                INSERT INTO catalog.stock_batches (id, variant_id, member_id, produced_on, expires_on, cost_per_unit_rupiah, quantity_received, remaining, delivery_id, received_at)
                SELECT gen_random_uuid(), v.id, p.member_id, NULL, NULL, NULL, v.on_hand, v.on_hand, NULL, now()
                FROM catalog.variants v JOIN catalog.products p ON p.id = v.product_id
                WHERE v.on_hand > 0;

                INSERT INTO catalog.stock_movements (variant_id, batch_id, kind, quantity, on_hand_after, made_by, at, reason, order_id, delivery_id)
                SELECT b.variant_id, b.id, 'received', b.quantity_received, b.quantity_received, 'system', b.received_at, 'opening stock', NULL, NULL
                FROM catalog.stock_batches b;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "delivery_lines",
                schema: "catalog");

            migrationBuilder.DropTable(
                name: "stock_allocations",
                schema: "catalog");

            migrationBuilder.DropTable(
                name: "stock_movements",
                schema: "catalog");

            migrationBuilder.DropTable(
                name: "deliveries",
                schema: "catalog");

            migrationBuilder.DropTable(
                name: "stock_batches",
                schema: "catalog");

            migrationBuilder.DropColumn(
                name: "low_stock_threshold",
                schema: "catalog",
                table: "variants");

            migrationBuilder.DropColumn(
                name: "low_stock_warned",
                schema: "catalog",
                table: "variants");

            migrationBuilder.DropColumn(
                name: "expiry_warning_days",
                schema: "catalog",
                table: "cooperatives");
        }
    }
}
