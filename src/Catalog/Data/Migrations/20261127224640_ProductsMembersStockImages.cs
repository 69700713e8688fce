using System;
using Microsoft.EntityFrameworkCore.Migrations;
using NpgsqlTypes;

#nullable disable

namespace Marketplace.Catalog.Data.Migrations
{
    /// <inheritdoc />
    public partial class ProductsMembersStockImages : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterDatabase()
                .Annotation("Npgsql:PostgresExtension:pg_trgm", ",,");

            migrationBuilder.AddColumn<string>(
                name: "category_fee_percents",
                schema: "catalog",
                table: "cooperatives",
                type: "jsonb",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "kiosk_location",
                schema: "catalog",
                table: "cooperatives",
                type: "character varying(300)",
                maxLength: 300,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "kiosk_opening_hours",
                schema: "catalog",
                table: "cooperatives",
                type: "jsonb",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<long>(
                name: "revision",
                schema: "catalog",
                table: "cooperatives",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<string>(
                name: "story",
                schema: "catalog",
                table: "cooperatives",
                type: "character varying(4000)",
                maxLength: 4000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "time_zone",
                schema: "catalog",
                table: "cooperatives",
                type: "character varying(60)",
                maxLength: 60,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "whats_app",
                schema: "catalog",
                table: "cooperatives",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "image_blobs",
                schema: "catalog",
                columns: table => new
                {
                    hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    content_type = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    content = table.Column<byte[]>(type: "bytea", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_image_blobs", x => x.hash);
                });

            migrationBuilder.CreateTable(
                name: "image_uploads",
                schema: "catalog",
                columns: table => new
                {
                    image_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    owner_id = table.Column<Guid>(type: "uuid", nullable: false),
                    content = table.Column<byte[]>(type: "bytea", nullable: false),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    attempts = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_image_uploads", x => x.image_id);
                });

            migrationBuilder.CreateTable(
                name: "members",
                schema: "catalog",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    cooperative_id = table.Column<Guid>(type: "uuid", nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: true),
                    display_name = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    business_name = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: true),
                    village = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: true),
                    story = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    whats_app = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    photo_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    joined_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    revision = table.Column<long>(type: "bigint", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_members", x => x.id);
                    table.ForeignKey(
                        name: "fk_members_cooperatives_cooperative_id",
                        column: x => x.cooperative_id,
                        principalSchema: "catalog",
                        principalTable: "cooperatives",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "stock_reservations",
                schema: "catalog",
                columns: table => new
                {
                    order_id = table.Column<Guid>(type: "uuid", nullable: false),
                    cooperative_id = table.Column<Guid>(type: "uuid", nullable: false),
                    status = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    closed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_stock_reservations", x => x.order_id);
                });

            migrationBuilder.CreateTable(
                name: "products",
                schema: "catalog",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    cooperative_id = table.Column<Guid>(type: "uuid", nullable: false),
                    member_id = table.Column<Guid>(type: "uuid", nullable: false),
                    maker_name = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    category = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    rejection_reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    name_id = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    name_en = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: true),
                    description_id = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    description_en = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    packaging_type = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: true),
                    net_content = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    shelf_life_days = table.Column<int>(type: "integer", nullable: true),
                    ingredients = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    allergens = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    storage_note = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    pirt_number = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: true),
                    pirt_valid_until = table.Column<DateOnly>(type: "date", nullable: true),
                    bpom_number = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: true),
                    halal_certificate_number = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: true),
                    halal_valid_until = table.Column<DateOnly>(type: "date", nullable: true),
                    pending_category = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    revision_status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    revision_rejection_reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    seller_active = table.Column<bool>(type: "boolean", nullable: false),
                    on_sale = table.Column<bool>(type: "boolean", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    published_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    revision = table.Column<long>(type: "bigint", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false),
                    min_price_rupiah = table.Column<long>(type: "bigint", nullable: false),
                    search_vector = table.Column<NpgsqlTsVector>(type: "tsvector", nullable: true, computedColumnSql: "setweight(to_tsvector('simple', coalesce(name_id, '') || ' ' || coalesce(name_en, '')), 'A') || setweight(to_tsvector('simple', coalesce(maker_name, '')), 'B') || setweight(to_tsvector('simple', coalesce(description_id, '') || ' ' || coalesce(description_en, '')), 'C')", stored: true),
                    pending_listing = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_products", x => x.id);
                    table.ForeignKey(
                        name: "fk_products_cooperatives_cooperative_id",
                        column: x => x.cooperative_id,
                        principalSchema: "catalog",
                        principalTable: "cooperatives",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_products_members_member_id",
                        column: x => x.member_id,
                        principalSchema: "catalog",
                        principalTable: "members",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "product_images",
                schema: "catalog",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    product_id = table.Column<Guid>(type: "uuid", nullable: false),
                    position = table.Column<int>(type: "integer", nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    error = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    renditions = table.Column<string>(type: "jsonb", nullable: false),
                    width = table.Column<int>(type: "integer", nullable: true),
                    height = table.Column<int>(type: "integer", nullable: true),
                    uploaded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_product_images", x => x.id);
                    table.ForeignKey(
                        name: "fk_product_images_products_product_id",
                        column: x => x.product_id,
                        principalSchema: "catalog",
                        principalTable: "products",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "variants",
                schema: "catalog",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    product_id = table.Column<Guid>(type: "uuid", nullable: false),
                    sku = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    label = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    price_rupiah = table.Column<long>(type: "bigint", nullable: false),
                    weight_grams = table.Column<int>(type: "integer", nullable: false),
                    on_hand = table.Column<int>(type: "integer", nullable: false),
                    reserved = table.Column<int>(type: "integer", nullable: false),
                    active = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_variants", x => x.id);
                    table.CheckConstraint("ck_variants_price", "price_rupiah > 0");
                    table.CheckConstraint("ck_variants_stock", "on_hand >= 0 AND reserved >= 0 AND reserved <= on_hand");
                    table.ForeignKey(
                        name: "fk_variants_products_product_id",
                        column: x => x.product_id,
                        principalSchema: "catalog",
                        principalTable: "products",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "stock_reservation_lines",
                schema: "catalog",
                columns: table => new
                {
                    order_id = table.Column<Guid>(type: "uuid", nullable: false),
                    variant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    quantity = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_stock_reservation_lines", x => new { x.order_id, x.variant_id });
                    table.CheckConstraint("ck_reservation_lines_quantity", "quantity > 0");
                    table.ForeignKey(
                        name: "fk_stock_reservation_lines_stock_reservations_order_id",
                        column: x => x.order_id,
                        principalSchema: "catalog",
                        principalTable: "stock_reservations",
                        principalColumn: "order_id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_stock_reservation_lines_variants_variant_id",
                        column: x => x.variant_id,
                        principalSchema: "catalog",
                        principalTable: "variants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_image_uploads_received_at",
                schema: "catalog",
                table: "image_uploads",
                column: "received_at");

            migrationBuilder.CreateIndex(
                name: "ix_members_cooperative_id",
                schema: "catalog",
                table: "members",
                column: "cooperative_id");

            migrationBuilder.CreateIndex(
                name: "ix_product_images_product_id",
                schema: "catalog",
                table: "product_images",
                column: "product_id");

            migrationBuilder.CreateIndex(
                name: "ix_products_category_min_price_rupiah",
                schema: "catalog",
                table: "products",
                columns: new[] { "category", "min_price_rupiah" },
                filter: "on_sale");

            migrationBuilder.CreateIndex(
                name: "ix_products_cooperative_id_published_at",
                schema: "catalog",
                table: "products",
                columns: new[] { "cooperative_id", "published_at" },
                filter: "on_sale");

            migrationBuilder.CreateIndex(
                name: "ix_products_cooperative_id_status",
                schema: "catalog",
                table: "products",
                columns: new[] { "cooperative_id", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_products_member_id",
                schema: "catalog",
                table: "products",
                column: "member_id");

            migrationBuilder.CreateIndex(
                name: "ix_products_min_price_rupiah",
                schema: "catalog",
                table: "products",
                column: "min_price_rupiah",
                filter: "on_sale");

            migrationBuilder.CreateIndex(
                name: "ix_products_search_vector",
                schema: "catalog",
                table: "products",
                column: "search_vector")
                .Annotation("Npgsql:IndexMethod", "GIN");

            migrationBuilder.CreateIndex(
                name: "ix_stock_reservation_lines_variant_id",
                schema: "catalog",
                table: "stock_reservation_lines",
                column: "variant_id");

            migrationBuilder.CreateIndex(
                name: "ix_stock_reservations_held_expiry",
                schema: "catalog",
                table: "stock_reservations",
                column: "expires_at",
                filter: "status = 'Held'");

            migrationBuilder.CreateIndex(
                name: "ix_variants_available",
                schema: "catalog",
                table: "variants",
                column: "product_id",
                filter: "active AND on_hand > reserved");

            migrationBuilder.CreateIndex(
                name: "ix_variants_product_id_sku",
                schema: "catalog",
                table: "variants",
                columns: new[] { "product_id", "sku" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "image_blobs",
                schema: "catalog");

            migrationBuilder.DropTable(
                name: "image_uploads",
                schema: "catalog");

            migrationBuilder.DropTable(
                name: "product_images",
                schema: "catalog");

            migrationBuilder.DropTable(
                name: "stock_reservation_lines",
                schema: "catalog");

            migrationBuilder.DropTable(
                name: "stock_reservations",
                schema: "catalog");

            migrationBuilder.DropTable(
                name: "variants",
                schema: "catalog");

            migrationBuilder.DropTable(
                name: "products",
                schema: "catalog");

            migrationBuilder.DropTable(
                name: "members",
                schema: "catalog");

            migrationBuilder.DropColumn(
                name: "category_fee_percents",
                schema: "catalog",
                table: "cooperatives");

            migrationBuilder.DropColumn(
                name: "kiosk_location",
                schema: "catalog",
                table: "cooperatives");

            migrationBuilder.DropColumn(
                name: "kiosk_opening_hours",
                schema: "catalog",
                table: "cooperatives");

            migrationBuilder.DropColumn(
                name: "revision",
                schema: "catalog",
                table: "cooperatives");

            migrationBuilder.DropColumn(
                name: "story",
                schema: "catalog",
                table: "cooperatives");

            migrationBuilder.DropColumn(
                name: "time_zone",
                schema: "catalog",
                table: "cooperatives");

            migrationBuilder.DropColumn(
                name: "whats_app",
                schema: "catalog",
                table: "cooperatives");

            migrationBuilder.AlterDatabase()
                .OldAnnotation("Npgsql:PostgresExtension:pg_trgm", ",,");
        }
    }
}
