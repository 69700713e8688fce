using Microsoft.EntityFrameworkCore.Migrations;
using NpgsqlTypes;

#nullable disable

namespace Marketplace.Catalog.Data.Migrations
{
    /// <summary>
    /// Relevance as tiers (every word in the name, else in the name and maker, else anywhere), each tier with its own
    /// vector and GIN index, and a newest-first index that carries what a tier's filter reads: a broad search takes the
    /// newest of its best tier from an index instead of ranking every match, which grew with the catalogue.
    /// </summary>
    public partial class SearchTiers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_products_search_vector",
                schema: "catalog",
                table: "products");

            migrationBuilder.AddColumn<NpgsqlTsVector>(
                name: "name_maker_vector",
                schema: "catalog",
                table: "products",
                type: "tsvector",
                nullable: true,
                computedColumnSql: "to_tsvector('simple', coalesce(name_id, '') || ' ' || coalesce(name_en, '') || ' ' || coalesce(maker_name, ''))",
                stored: true);

            migrationBuilder.AddColumn<NpgsqlTsVector>(
                name: "name_vector",
                schema: "catalog",
                table: "products",
                type: "tsvector",
                nullable: true,
                computedColumnSql: "to_tsvector('simple', coalesce(name_id, '') || ' ' || coalesce(name_en, ''))",
                stored: true);

            migrationBuilder.CreateIndex(
                name: "ix_products_name_maker_vector",
                schema: "catalog",
                table: "products",
                column: "name_maker_vector",
                filter: "on_sale")
                .Annotation("Npgsql:IndexMethod", "GIN")
                .Annotation("Npgsql:StorageParameter:fastupdate", false);

            migrationBuilder.CreateIndex(
                name: "ix_products_name_vector",
                schema: "catalog",
                table: "products",
                column: "name_vector",
                filter: "on_sale")
                .Annotation("Npgsql:IndexMethod", "GIN")
                .Annotation("Npgsql:StorageParameter:fastupdate", false);

            migrationBuilder.CreateIndex(
                name: "ix_products_search_vector",
                schema: "catalog",
                table: "products",
                column: "search_vector",
                filter: "on_sale")
                .Annotation("Npgsql:IndexMethod", "GIN")
                .Annotation("Npgsql:StorageParameter:fastupdate", false);

            // Newest first, carrying the tiers' vectors and in_stock: a search tier with many matches is read in this
            // order with no visit to the table (an index-only scan). in_stock is not in the EF model, hence raw SQL.
            // The search vector (descriptions, unbounded) stays out: a tuple must fit in a btree page.
            // The planner needs the new vectors' statistics at once, not at autovacuum's leisure.
            migrationBuilder.Sql("""
                CREATE INDEX ix_products_newest ON catalog.products (published_at DESC, id)
                    INCLUDE (name_vector, name_maker_vector, in_stock) WHERE on_sale;
                ANALYZE catalog.products;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX IF EXISTS catalog.ix_products_newest;");

            migrationBuilder.DropIndex(
                name: "ix_products_name_maker_vector",
                schema: "catalog",
                table: "products");

            migrationBuilder.DropIndex(
                name: "ix_products_name_vector",
                schema: "catalog",
                table: "products");

            migrationBuilder.DropIndex(
                name: "ix_products_search_vector",
                schema: "catalog",
                table: "products");

            migrationBuilder.DropColumn(
                name: "name_maker_vector",
                schema: "catalog",
                table: "products");

            migrationBuilder.DropColumn(
                name: "name_vector",
                schema: "catalog",
                table: "products");

            migrationBuilder.CreateIndex(
                name: "ix_products_search_vector",
                schema: "catalog",
                table: "products",
                column: "search_vector")
                .Annotation("Npgsql:IndexMethod", "GIN");
        }
    }
}
