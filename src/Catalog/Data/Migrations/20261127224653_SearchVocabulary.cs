using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Marketplace.Catalog.Data.Migrations
{
    /// <summary>
    /// The words products on sale are made of, with a trigram index: a misspelt search word is replaced by its
    /// nearest real word before the full-text query, which stays fast however large the catalogue.
    /// </summary>
    public partial class SearchVocabulary : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE MATERIALIZED VIEW catalog.search_words AS
                    SELECT word, ndoc FROM ts_stat('SELECT search_vector FROM catalog.products WHERE on_sale')
                    WHERE length(word) >= 3;
                CREATE UNIQUE INDEX ix_search_words_word ON catalog.search_words (word);
                CREATE INDEX ix_search_words_trigram ON catalog.search_words USING gin (word gin_trgm_ops);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP MATERIALIZED VIEW IF EXISTS catalog.search_words;");
        }
    }
}
