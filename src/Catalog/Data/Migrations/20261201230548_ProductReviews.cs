using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Marketplace.Catalog.Data.Migrations
{
    /// <inheritdoc />
    public partial class ProductReviews : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<decimal>(
                name: "rating_average",
                schema: "catalog",
                table: "products",
                type: "numeric(3,2)",
                precision: 3,
                scale: 2,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "rating_count",
                schema: "catalog",
                table: "products",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "product_reviews",
                schema: "catalog",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    order_id = table.Column<Guid>(type: "uuid", nullable: false),
                    cooperative_id = table.Column<Guid>(type: "uuid", nullable: false),
                    product_id = table.Column<Guid>(type: "uuid", nullable: false),
                    member_id = table.Column<Guid>(type: "uuid", nullable: false),
                    buyer_key = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    reviewer_name = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    product_name = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    rating = table.Column<int>(type: "integer", nullable: true),
                    text = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    photo_small = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    photo_large = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    photo_processing = table.Column<bool>(type: "boolean", nullable: false),
                    rejection_reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    reply = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    replied_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    invited_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    written_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    moderated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_product_reviews", x => x.id);
                    table.CheckConstraint("ck_product_reviews_rating", "rating IS NULL OR rating BETWEEN 1 AND 5");
                    table.ForeignKey(
                        name: "fk_product_reviews_products_product_id",
                        column: x => x.product_id,
                        principalSchema: "catalog",
                        principalTable: "products",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_product_reviews_buyer_key",
                schema: "catalog",
                table: "product_reviews",
                column: "buyer_key");

            migrationBuilder.CreateIndex(
                name: "ix_product_reviews_cooperative_id_status_written_at",
                schema: "catalog",
                table: "product_reviews",
                columns: new[] { "cooperative_id", "status", "written_at" });

            migrationBuilder.CreateIndex(
                name: "ix_product_reviews_member_id_status",
                schema: "catalog",
                table: "product_reviews",
                columns: new[] { "member_id", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_product_reviews_order_id_buyer_key",
                schema: "catalog",
                table: "product_reviews",
                columns: new[] { "order_id", "buyer_key" });

            migrationBuilder.CreateIndex(
                name: "ix_product_reviews_product_id_status_written_at",
                schema: "catalog",
                table: "product_reviews",
                columns: new[] { "product_id", "status", "written_at" });

            // sort=rating reads on-sale products best first, unrated last: an order EF's model cannot state.
            migrationBuilder.Sql(
                "CREATE INDEX ix_products_rating ON catalog.products (rating_average DESC NULLS LAST, rating_count DESC, published_at DESC, id) WHERE on_sale;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX IF EXISTS catalog.ix_products_rating;");

            migrationBuilder.DropTable(
                name: "product_reviews",
                schema: "catalog");

            migrationBuilder.DropColumn(
                name: "rating_average",
                schema: "catalog",
                table: "products");

            migrationBuilder.DropColumn(
                name: "rating_count",
                schema: "catalog",
                table: "products");
        }
    }
}
