using Marketplace.Catalog.Data;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Catalog.Stock;

/// <summary>
/// What of a size's stock may be offered online: its batches not past their last day where the cooperative is. The
/// hourly expiry sweep takes expired goods off the shelf, but between its runs they are still on hand, and they must
/// never be sold or shown as available online.
/// </summary>
public static class SellableStock
{
    public static async Task<int> OfAsync(CatalogDbContext db, Guid variantId, DateOnly today, CancellationToken cancellationToken) =>
        (await OfAsync(db, [variantId], today, cancellationToken)).GetValueOrDefault(variantId);

    /// <summary>Unexpired stock on hand per variant; a variant with none is absent.</summary>
    public static Task<Dictionary<Guid, int>> OfAsync(CatalogDbContext db, IReadOnlyCollection<Guid> variantIds, DateOnly today, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.StockBatches.AsNoTracking()
            .Where(b => variantIds.Contains(b.VariantId) && b.Remaining > 0 && (b.ExpiresOn == null || b.ExpiresOn >= today))
            .GroupBy(b => b.VariantId)
            .Select(g => new { VariantId = g.Key, Sellable = g.Sum(b => b.Remaining) })
            .ToDictionaryAsync(x => x.VariantId, x => x.Sellable, cancellationToken);
    }

    /// <summary>What a shopper may still order of a size: its unexpired stock less what orders hold.</summary>
    public static int Available(int onHand, int reserved, int sellable) => Math.Max(0, Math.Min(onHand, sellable) - reserved);
}
