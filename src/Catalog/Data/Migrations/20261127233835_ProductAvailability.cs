using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Marketplace.Catalog.Data.Migrations
{
    /// <summary>
    /// Products drop xmin as their concurrency token (the revision serves) and gain <c>in_stock</c>, kept by a
    /// trigger on variants: the shoppers' "in stock" filter then reads a column of the row it already reads,
    /// instead of probing every match's variants. The trigger writes only when availability flips.
    /// </summary>
    public partial class ProductAvailability : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // xmin is a system column: the model no longer maps it, and there is nothing to drop.
            migrationBuilder.Sql("""
                ALTER TABLE catalog.products ADD COLUMN in_stock boolean NOT NULL DEFAULT false;
                UPDATE catalog.products p SET in_stock = EXISTS (
                    SELECT 1 FROM catalog.variants v WHERE v.product_id = p.id AND v.active AND v.on_hand > v.reserved);

                CREATE FUNCTION catalog.refresh_product_in_stock() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE
                    available boolean;
                BEGIN
                    SELECT EXISTS (SELECT 1 FROM catalog.variants v
                                   WHERE v.product_id = NEW.product_id AND v.active AND v.on_hand > v.reserved)
                      INTO available;
                    UPDATE catalog.products SET in_stock = available
                     WHERE id = NEW.product_id AND in_stock IS DISTINCT FROM available;
                    RETURN NULL;
                END $$;

                CREATE TRIGGER trg_variants_in_stock
                    AFTER INSERT OR UPDATE OF on_hand, reserved, active ON catalog.variants
                    FOR EACH ROW EXECUTE FUNCTION catalog.refresh_product_in_stock();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS trg_variants_in_stock ON catalog.variants;
                DROP FUNCTION IF EXISTS catalog.refresh_product_in_stock();
                ALTER TABLE catalog.products DROP COLUMN IF EXISTS in_stock;
                """);
        }
    }
}
