using Marketplace.Contracts.Catalog;
using Marketplace.Contracts.Orders;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Catalog.Stock;

/// <summary>Walk-in sales at the kiosk: goods taken off the shelf (and flagged when the books had fewer), and goods returned.</summary>
public sealed partial class StockBook
{
    public const string CounterReturnReason = "counter return";

    /// <summary>
    /// A walk-in sale's goods leave the shelf, first-expiring first, as <c>sold_at_counter</c> movements with their
    /// allocations. The goods were in the clerk's hand, so the sale stands whatever the books say: each size gives what
    /// is free (on hand less what orders hold, so on hand never falls below zero nor below held) and the rest becomes a
    /// row of <c>stock_shortages</c> for the next count. Returns what was taken, at cost.
    /// </summary>
    public async Task<IReadOnlyList<CostedLine>> TakeAtCounterAsync(
        Guid orderId, Guid cooperativeId, IEnumerable<StockLine> lines, string by, DateTimeOffset soldAt, CancellationToken cancellationToken)
    {
        var costed = new List<CostedLine>();
        var merged = lines.Where(l => l.Quantity > 0).GroupBy(l => l.VariantId).Select(g => new StockLine(g.Key, g.Sum(l => l.Quantity)));
        foreach (var line in merged.OrderBy(l => l.VariantId))
        {
            var variant = await LockAsync(line.VariantId, cancellationToken);
            if (variant is null || variant.CooperativeId != cooperativeId)
            {
                // Orders checks the sizes it sells; a size gone or of another cooperative has no shelf here to take from.
                continue;
            }

            var take = Math.Min(line.Quantity, Math.Max(0, variant.OnHand - variant.Reserved));
            if (take > 0)
            {
                costed.Add(await TakeAsync(variant, take, MovementKinds.SoldAtCounter, by, null, orderId, releaseHeld: false, cancellationToken));
            }

            var shortage = line.Quantity - take;
            if (shortage > 0)
            {
                await db.Database.ExecuteSqlAsync($"""
                    INSERT INTO catalog.stock_shortages (id, cooperative_id, variant_id, order_id, quantity, returned, at)
                    VALUES ({Guid.CreateVersion7(soldAt)}, {cooperativeId}, {line.VariantId}, {orderId}, {shortage}, 0, {soldAt})
                    ON CONFLICT (order_id, variant_id) DO NOTHING
                    """, cancellationToken);
            }
        }

        await CheckLowStockAsync(costed.Select(c => c.VariantId), cancellationToken);
        return costed;
    }

    /// <summary>
    /// Goods of a walk-in sale came back over the counter: into the batches the sale took them from, the latest-expiring
    /// first (what is least urgent to sell goes back first, leaving the shelf's order as it was), as <c>returned</c>
    /// movements. Goods the sale never took from the books (a shortage) close that much of the open shortage instead; if
    /// a count already settled it, the books lost them then, so they come back as a new undated batch. Returns what went
    /// back into the sale's batches, at cost (what the sale's cost counted).
    /// </summary>
    public async Task<IReadOnlyList<CostedLine>> ReturnAtCounterAsync(
        Guid orderId, Guid cooperativeId, IEnumerable<StockLine> lines, string by, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var costed = new List<CostedLine>();
        var merged = lines.Where(l => l.Quantity > 0).GroupBy(l => l.VariantId).Select(g => new StockLine(g.Key, g.Sum(l => l.Quantity)));
        foreach (var line in merged.OrderBy(l => l.VariantId))
        {
            var variant = await LockAsync(line.VariantId, cancellationToken);
            if (variant is null || variant.CooperativeId != cooperativeId)
            {
                continue;
            }

            // What is still out of each batch the sale took from: allocated, less what earlier returns put back.
            var outstanding = await db.Database.SqlQuery<AllocatedBatch>($"""
                SELECT a.batch_id AS batch_id, a.variant_id AS variant_id,
                       (a.quantity - COALESCE((SELECT SUM(m.quantity) FROM catalog.stock_movements m
                                               WHERE m.variant_id = a.variant_id AND m.order_id = a.order_id AND m.batch_id = a.batch_id AND m.kind = {MovementKinds.Returned}), 0))::int AS quantity,
                       b.cost_per_unit_rupiah AS cost_per_unit_rupiah
                FROM catalog.stock_allocations a JOIN catalog.stock_batches b ON b.id = a.batch_id
                WHERE a.order_id = {orderId} AND a.variant_id = {line.VariantId}
                ORDER BY (b.expires_on IS NULL) DESC, b.expires_on DESC, b.received_at DESC, b.id
                FOR NO KEY UPDATE OF b
                """).ToListAsync(cancellationToken);
            var left = line.Quantity;
            var (quantity, cost, costKnown) = (0, 0L, true);
            foreach (var batch in outstanding.Where(b => b.Quantity > 0))
            {
                if (left == 0)
                {
                    break;
                }

                var put = Math.Min(left, batch.Quantity);
                await MoveAsync(variant.VariantId, batch.BatchId, MovementKinds.Returned, put, 0, by, CounterReturnReason, orderId, null, now, allocate: false, cancellationToken);
                (quantity, cost, costKnown) = (quantity + put, cost + (put * (batch.CostPerUnitRupiah ?? 0)), costKnown && batch.CostPerUnitRupiah is not null);
                left -= put;
            }

            if (quantity > 0)
            {
                costed.Add(new CostedLine(variant.VariantId, variant.ProductId, variant.MemberId, quantity, cost, costKnown));
            }

            if (left > 0)
            {
                left -= await CloseShortageAsync(orderId, variant.VariantId, left, now, cancellationToken);
            }

            if (left > 0)
            {
                var batchId = Guid.CreateVersion7(now);
                await db.Database.ExecuteSqlAsync($"""
                    INSERT INTO catalog.stock_batches (id, variant_id, member_id, produced_on, expires_on, cost_per_unit_rupiah, quantity_received, remaining, delivery_id, received_at)
                    VALUES ({batchId}, {variant.VariantId}, {variant.MemberId}, NULL, NULL, NULL, {left}, 0, NULL, {now})
                    """, cancellationToken);
                await MoveAsync(variant.VariantId, batchId, MovementKinds.Returned, left, 0, by, CounterReturnReason, orderId, null, now, allocate: false, cancellationToken);
            }
        }

        await CheckLowStockAsync(costed.Select(c => c.VariantId), cancellationToken);
        return costed;
    }

    /// <summary>A stock count of these sizes settles their open shortages: the count's difference already says what was missing.</summary>
    public Task<int> ResolveShortagesByCountAsync(IReadOnlyCollection<Guid> variantIds, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"""
            UPDATE catalog.stock_shortages SET resolved_at = {clock.GetUtcNow()}, resolved_by = 'count'
            WHERE variant_id = ANY({variantIds.ToArray()}) AND resolved_at IS NULL
            """, cancellationToken);

    /// <summary>Closes up to <paramref name="quantity"/> of a sale's open shortage of a size; returns how many it closed.</summary>
    private async Task<int> CloseShortageAsync(Guid orderId, Guid variantId, int quantity, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var closed = await db.Database.SqlQuery<int>($"""
            WITH s AS (
                SELECT id, LEAST(quantity - returned, {quantity}) AS closing FROM catalog.stock_shortages
                WHERE order_id = {orderId} AND variant_id = {variantId} AND resolved_at IS NULL
                FOR UPDATE)
            UPDATE catalog.stock_shortages t
            SET returned = t.returned + s.closing,
                resolved_at = CASE WHEN t.returned + s.closing = t.quantity THEN {now} END,
                resolved_by = CASE WHEN t.returned + s.closing = t.quantity THEN 'return' END
            FROM s WHERE t.id = s.id
            RETURNING s.closing AS "Value"
            """).ToListAsync(cancellationToken);
        return closed.Sum();
    }
}
