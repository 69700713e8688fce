using Marketplace.Catalog.Common;
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
public sealed class StockLedger(CatalogDbContext db, TimeProvider clock)
{
    public const int MaxLinesPerOrder = 100;
    public const int MaxQuantityPerLine = 10_000;

    /// <summary>
    /// Holds every line or none. Call inside a transaction; on shortage, roll it back. Only goods not past their last
    /// day (where the cooperative is) can be held, whether or not the hourly expiry sweep has taken the expired ones off
    /// yet: expired goods are never sold online. With a share, no line holds more than that percentage of its size's
    /// sellable stock (rounded down, but always at least one unit, so a shop with two left still sells one): judged in
    /// the same statement as the hold, under the variant's lock.
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

        var today = clock.Today(await db.TimeZoneOfAsync(cooperativeId, cancellationToken));
        // Always in the same order, so two orders holding the same variants cannot deadlock.
        foreach (var line in merged.OrderBy(l => l.VariantId))
        {
            // Locked first, so the hold's statement, with a snapshot of its own, sees the batches as they are now: every
            // change to a batch locks its variant too. NO KEY UPDATE, the lock the hold's UPDATE takes anyway: it does not
            // conflict with the key-share locks that this order's reservation lines (and every other's) take on it. Both
            // statements go in one round trip (each still takes its own snapshot), so the lock waits for one less. The
            // count is the UPDATE's alone: Npgsql counts the rows of INSERT, UPDATE and DELETE, not of a SELECT.
            var held = await db.Database.ExecuteSqlAsync(
                $"""
                SELECT 1 FROM catalog.variants WHERE id = {line.VariantId} FOR NO KEY UPDATE;
                WITH s AS (
                    SELECT COALESCE(SUM(b.remaining), 0)::int AS sellable FROM catalog.stock_batches b
                    WHERE b.variant_id = {line.VariantId} AND b.remaining > 0 AND (b.expires_on IS NULL OR b.expires_on >= {today}))
                UPDATE catalog.variants v SET reserved = v.reserved + {line.Quantity}
                FROM catalog.products p, s
                WHERE v.id = {line.VariantId} AND p.id = v.product_id
                  AND p.cooperative_id = {cooperativeId} AND p.on_sale AND v.active
                  AND v.on_hand - v.reserved >= {line.Quantity}
                  AND s.sellable - v.reserved >= {line.Quantity}
                  AND {line.Quantity} <= GREATEST(1, s.sellable * {share} / 100)
                """,
                cancellationToken);
            if (held == 0)
            {
                shortages.Add(await ShortageAsync(cooperativeId, line, share, today, cancellationToken));
            }
        }

        return shortages;
    }

    // Taking stock off the shelf (a paid order) changes on hand, so it is the stock book's: see StockBook.TryTakeHeldAsync.

    public async Task ReturnHeldAsync(IEnumerable<StockReservationLine> lines, CancellationToken cancellationToken)
    {
        foreach (var line in lines.OrderBy(l => l.VariantId))
        {
            await db.Database.ExecuteSqlAsync(
                $"UPDATE catalog.variants SET reserved = reserved - {line.Quantity} WHERE id = {line.VariantId}",
                cancellationToken);
        }
    }

    private async Task<StockShortage> ShortageAsync(Guid cooperativeId, StockLine line, int share, DateOnly today, CancellationToken cancellationToken)
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

        var sellable = Math.Min(variant.OnHand, await SellableStock.OfAsync(db, line.VariantId, today, cancellationToken));
        var free = Math.Max(0, sellable - variant.Reserved);
        var mostOneOrder = Math.Max(1, sellable * share / 100);
        return line.Quantity > mostOneOrder && free >= line.Quantity
            ? new StockShortage(line.VariantId, line.Quantity, Math.Min(free, mostOneOrder), "over_share")
            : new StockShortage(line.VariantId, line.Quantity, free, "insufficient_stock");
    }
}
