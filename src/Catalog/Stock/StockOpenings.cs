using Marketplace.Catalog.Data;
using Marketplace.Catalog.Products;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Catalog.Stock;

/// <summary>
/// A size the demo's seed creates with stock opens its card with that stock: an undated batch without a cost and a
/// <c>received</c> movement, saved with the variant itself so on hand is its card's sum from the first moment. A member's
/// own sizes start at 0 (the products API refuses stock on them); her goods come on the shelf by a delivery.
/// </summary>
public static class StockOpenings
{
    public const string Reason = "opening stock";

    /// <summary>Adds the opening batch and movement of every new variant in the change tracker; call before SaveChanges.</summary>
    public static void RecordFor(CatalogDbContext db, string by, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(db);
        var products = db.ChangeTracker.Entries<Product>().Select(e => e.Entity).ToDictionary(p => p.Id);
        var opened = db.ChangeTracker.Entries<ProductVariant>()
            .Where(e => e.State == EntityState.Added && e.Entity.OnHand > 0)
            .Select(e => e.Entity)
            .ToList();
        foreach (var variant in opened)
        {
            var batch = StockBatch.Open(variant.Id, products[variant.ProductId].MemberId, variant.OnHand, null, null, null, null, now);
            db.StockBatches.Add(batch);
            db.StockMovements.Add(StockMovement.Opening(batch, by, Reason, now));
        }
    }
}
