using Marketplace.Catalog.Data;
using Marketplace.Contracts.Catalog;
using Marketplace.Contracts.Orders;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Catalog.Stock;

/// <summary>
/// Holds, takes and returns stock with single atomic statements, so that no interleaving of requests, on any
/// number of replicas, can hold more than is on hand; the table's check constraint backs this up. Holding changes
/// only <c>reserved</c>; every change to on hand is a movement of <see cref="StockBook"/>.
/// </summary>
public sealed class StockLedger(CatalogDbContext db)
{
    public const int MaxLinesPerOrder = 100;
    public const int MaxQuantityPerLine = 10_000;

    /// <summary>
    /// Holds every line or none. Call inside a transaction; on shortage, roll it back. With a share, no line holds more
    /// than that percentage of its size's stock on hand (rounded down, but always at least one unit, so a shop with two
    /// left still sells one): judged in the same atomic statement as the hold, against on hand as it is at that moment.
    /// </summary>
    public async Task<IReadOnlyList<StockShortage>> TryHoldAsync(
        Guid cooperativeId, IReadOnlyList<StockLine> lines, int? maxSharePercent, CancellationToken cancellationToken)
    {
        var share = Math.Clamp(maxSharePercent ?? 100, 1, 100);
        var shortages = new List<StockShortage>();
        var merged = lines.GroupBy(l => l.VariantId).Select(g => new StockLine(g.Key, g.Sum(l => l.Quantity))).ToList();
        if (merged.Count is 0 or > MaxLinesPerOrder || merged.Any(l => l.Quantity is < 1 or > MaxQuantityPerLine))
        {
            return merged.Select(l => new StockShortage(l.VariantId, l.Quantity, 0, "invalid_quantity")).ToList();
        }

        // Always in the same order, so two orders holding the same variants cannot deadlock.
        foreach (var line in merged.OrderBy(l => l.VariantId))
        {
            var held = await db.Database.ExecuteSqlAsync(
                $"""
                UPDATE catalog.variants v SET reserved = v.reserved + {line.Quantity}
                FROM catalog.products p
                WHERE v.id = {line.VariantId} AND p.id = v.product_id
                  AND p.cooperative_id = {cooperativeId} AND p.on_sale AND v.active
                  AND v.on_hand - v.reserved >= {line.Quantity}
                  AND {line.Quantity} <= GREATEST(1, v.on_hand * {share} / 100)
                """,
                cancellationToken);
            if (held == 0)
            {
                shortages.Add(await ShortageAsync(cooperativeId, line, share, cancellationToken));
            }
        }

        return shortages;
    }

    // Taking stock off the shelf (a paid order) changes on hand, so it is the stock book's: see StockBook.TakeHeldAsync.

    public async Task ReturnHeldAsync(IEnumerable<StockReservationLine> lines, CancellationToken cancellationToken)
    {
        foreach (var line in lines.OrderBy(l => l.VariantId))
        {
            await db.Database.ExecuteSqlAsync(
                $"UPDATE catalog.variants SET reserved = reserved - {line.Quantity} WHERE id = {line.VariantId}",
                cancellationToken);
        }
    }

    private async Task<StockShortage> ShortageAsync(Guid cooperativeId, StockLine line, int share, CancellationToken cancellationToken)
    {
        var variant = await db.Variants.AsNoTracking()
            .Where(v => v.Id == line.VariantId)
            .Join(db.Products, v => v.ProductId, p => p.Id, (v, p) => new { v.OnHand, v.Reserved, v.Active, p.OnSale, p.CooperativeId })
            .FirstOrDefaultAsync(cancellationToken);
        if (variant is null || variant.CooperativeId != cooperativeId)
        {
            return new StockShortage(line.VariantId, line.Quantity, 0, "unknown_variant");
        }

        if (!variant.OnSale || !variant.Active)
        {
            return new StockShortage(line.VariantId, line.Quantity, 0, "not_on_sale");
        }

        var free = Math.Max(0, variant.OnHand - variant.Reserved);
        var mostOneOrder = Math.Max(1, variant.OnHand * share / 100);
        return line.Quantity > mostOneOrder && free >= line.Quantity
            ? new StockShortage(line.VariantId, line.Quantity, Math.Min(free, mostOneOrder), "over_share")
            : new StockShortage(line.VariantId, line.Quantity, free, "insufficient_stock");
    }
}
