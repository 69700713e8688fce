using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Marketplace.Catalog.Data.Migrations
{
    /// <inheritdoc />
    public partial class MakerPages : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "slug",
                schema: "catalog",
                table: "members",
                type: "character varying(60)",
                maxLength: 60,
                nullable: false,
                defaultValue: "");

            // Every member already there gets her page's address the way MemberSlugs makes one for a newcomer: her name in
            // lowercase ASCII with hyphens, the oldest member of a name keeping it bare and the others numbered by joining.
            migrationBuilder.Sql("""
                WITH base AS (
                    SELECT id, joined_at, left(trim(both '-' from regexp_replace(
                               lower(translate(replace(replace(display_name, '''', ''), U&'\2019', ''), 'àáâãäåèéêëìíîïòóôõöùúûüýÿñçÀÁÂÃÄÅÈÉÊËÌÍÎÏÒÓÔÕÖÙÚÛÜÝÑÇ', 'aaaaaaeeeeiiiiooooouuuuyyncAAAAAAEEEEIIIIOOOOOUUUUYNC')),
                               '[^a-z0-9]+', '-', 'g')), 56) AS wanted
                    FROM catalog.members),
                named AS (
                    SELECT id, joined_at, CASE WHEN length(trim(both '-' from wanted)) < 2 THEN 'pembuat' ELSE trim(both '-' from wanted) END AS wanted
                    FROM base),
                numbered AS (
                    SELECT id, wanted, row_number() OVER (PARTITION BY wanted ORDER BY joined_at, id) AS n FROM named)
                UPDATE catalog.members m
                SET slug = CASE WHEN numbered.n = 1 THEN numbered.wanted ELSE numbered.wanted || '-' || numbered.n END
                FROM numbered
                WHERE numbered.id = m.id;
                """);
            // A numbered name can meet a name that ends in that number ("sri-2"): the later one takes a piece of its id.
            migrationBuilder.Sql("""
                UPDATE catalog.members m
                SET slug = m.slug || '-' || substr(replace(m.id::text, '-', ''), 1, 6)
                WHERE EXISTS (SELECT 1 FROM catalog.members o WHERE o.slug = m.slug AND o.id < m.id);
                """);

            migrationBuilder.CreateIndex(
                name: "ix_members_slug",
                schema: "catalog",
                table: "members",
                column: "slug",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_members_slug",
                schema: "catalog",
                table: "members");

            migrationBuilder.DropColumn(
                name: "slug",
                schema: "catalog",
                table: "members");
        }
    }
}
