using Marketplace.Catalog.Common;
using Marketplace.Catalog.Data;
using Marketplace.Contracts.Catalog;
using Marketplace.Contracts.Orders;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Catalog.Stock;

/// <summary>
/// Every change to stock on hand, as movements on batches. Each movement is one SQL statement that changes the batch's
/// remaining, the variant's cached <c>on_hand</c> and inserts the card's line together, so on hand is always the sum of
/// the variant's movements (and of its batches' remaining). Each operation first locks the variant's row, then its
/// batches, always in that order and variants by id, so concurrent sales, counts, receipts and the expiry sweep
/// serialise per variant and never deadlock. Holds (<see cref="StockLedger.TryHoldAsync"/>) lock only the variant row.
/// The locks are <c>FOR NO KEY UPDATE</c>, the lock an UPDATE takes anyway: they serialise the book as well, and unlike
/// <c>FOR UPDATE</c> they neither wait for nor stop rows that only refer to the variant (another checkout's reservation
/// lines, whose foreign key takes a key-share lock on it) while a paid order's goods leave the shelf. Call inside a transaction.
/// </summary>
public sealed partial class StockBook(CatalogDbContext db, IOutbox outbox, TimeProvider clock)
{
    /// <summary>Who made a movement no person made: the expiry sweep, a cancelled order's restock.</summary>
    public const string System = "system";

    public const int MaxQuantity = 1_000_000;

    private readonly Dictionary<Guid, DateOnly> _today = [];

    /// <summary>A new batch on the shelf: the goods of a delivery line, or a surplus found by a count.</summary>
    public async Task<Guid> ReceiveAsync(VariantLock variant, int quantity, string kind, BatchDates dates, string by, string? reason, Guid? deliveryId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var batchId = Guid.CreateVersion7(now);
        // Opened empty: the movement below fills it, so the batch, the card and on hand change in one statement.
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO catalog.stock_batches (id, variant_id, member_id, produced_on, expires_on, cost_per_unit_rupiah, quantity_received, remaining, delivery_id, received_at)
            VALUES ({batchId}, {variant.VariantId}, {variant.MemberId}, {dates.ProducedOn}, {dates.ExpiresOn}, {dates.CostPerUnitRupiah}, {quantity}, 0, {deliveryId}, {now})
            """, cancellationToken);
        await MoveAsync(variant.VariantId, batchId, kind, quantity, 0, by, reason, null, deliveryId, now, allocate: false, cancellationToken);
        return batchId;
    }

    /// <summary>Locks a variant's row for the rest of the transaction and reads what the book needs of it; null if unknown.</summary>
    public async Task<VariantLock?> LockAsync(Guid variantId, CancellationToken cancellationToken) =>
        (await db.Database.SqlQuery<VariantLock>($"""
            SELECT v.id AS variant_id, p.id AS product_id, p.member_id AS member_id, p.cooperative_id AS cooperative_id, v.on_hand AS on_hand, v.reserved AS reserved
            FROM catalog.variants v JOIN catalog.products p ON p.id = v.product_id
            WHERE v.id = {variantId}
            FOR NO KEY UPDATE OF v
            """).ToListAsync(cancellationToken)).FirstOrDefault();

    /// <summary>
    /// Takes goods off the shelf, the batch that expires first first (undated batches last); a batch already past its
    /// date but not yet swept goes after every good one, so it is taken only when nothing else is left, and never for an
    /// online sale (<see cref="MovementKinds.SoldOnline"/>): expired goods are never sold online. With an order, remembers
    /// which batches they came from. Throws when there is not enough.
    /// </summary>
    public async Task<CostedLine> TakeAsync(
        VariantLock variant, int quantity, string kind, string by, string? reason, Guid? orderId, bool releaseHeld, CancellationToken cancellationToken)
    {
        var batches = await OpenBatchesAsync(variant, online: kind == MovementKinds.SoldOnline, cancellationToken);
        return await TakeFromAsync(variant, batches, quantity, kind, by, reason, orderId, releaseHeld, cancellationToken);
    }

    /// <summary>
    /// A locked variant's batches with goods left, locked too, in the order they leave the shelf. For an online sale only
    /// those not past their last day where the cooperative is (whether or not the hourly sweep took the expired ones off).
    /// </summary>
    private async Task<List<OpenBatch>> OpenBatchesAsync(VariantLock variant, bool online, CancellationToken cancellationToken)
    {
        var today = await TodayAsync(variant.CooperativeId, cancellationToken);
        return await db.Database.SqlQuery<OpenBatch>($"""
            SELECT id AS id, remaining AS remaining, cost_per_unit_rupiah AS cost_per_unit_rupiah FROM catalog.stock_batches
            WHERE variant_id = {variant.VariantId} AND remaining > 0
              AND (NOT {online} OR expires_on IS NULL OR expires_on >= {today})
            ORDER BY (expires_on IS NOT NULL AND expires_on < {today}), expires_on NULLS LAST, received_at, id
            FOR NO KEY UPDATE
            """).ToListAsync(cancellationToken);
    }

    /// <summary>Takes <paramref name="quantity"/> from <paramref name="batches"/> (as <see cref="OpenBatchesAsync"/> read them, in that order).</summary>
    private async Task<CostedLine> TakeFromAsync(
        VariantLock variant, IReadOnlyList<OpenBatch> batches, int quantity, string kind, string by, string? reason, Guid? orderId, bool releaseHeld,
        CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (batches.Sum(b => b.Remaining) < quantity)
        {
            throw new ConflictException($"Only {batches.Sum(b => b.Remaining)} are on the shelf.", "insufficient_stock");
        }

        var left = quantity;
        long cost = 0;
        var costKnown = true;
        foreach (var batch in batches)
        {
            if (left == 0)
            {
                break;
            }

            var take = Math.Min(left, batch.Remaining);
            await MoveAsync(variant.VariantId, batch.Id, kind, -take, releaseHeld ? take : 0, by, reason, orderId, null, now, allocate: orderId is not null, cancellationToken);
            cost += take * (batch.CostPerUnitRupiah ?? 0);
            costKnown &= batch.CostPerUnitRupiah is not null;
            left -= take;
        }

        return new CostedLine(variant.VariantId, variant.ProductId, variant.MemberId, quantity, cost, costKnown);
    }

    /// <summary>
    /// Takes what is left of an expired batch off the shelf, except what orders still hold (on hand may not fall below
    /// held); returns how many it took.
    /// </summary>
    public async Task<int> ExpireAsync(Guid variantId, Guid batchId, DateOnly expiredOn, CancellationToken cancellationToken)
    {
        var variant = await LockAsync(variantId, cancellationToken);
        if (variant is null)
        {
            return 0;
        }

        // Read again under the variant's lock: another replica, or a sale, may have taken it meanwhile.
        var remaining = (await db.Database.SqlQuery<int>(
                $"SELECT remaining AS \"Value\" FROM catalog.stock_batches WHERE id = {batchId} AND variant_id = {variantId} FOR NO KEY UPDATE")
            .ToListAsync(cancellationToken)).FirstOrDefault();
        var take = Math.Min(remaining, variant.OnHand - variant.Reserved);
        if (take <= 0)
        {
            return 0;
        }

        await MoveAsync(variantId, batchId, MovementKinds.Expired, -take, 0, System, $"expired {expiredOn:yyyy-MM-dd}", null, null, clock.GetUtcNow(), allocate: false, cancellationToken);
        return take;
    }

    /// <summary>Sets on hand to what is there (a count or a correction): a shortage leaves first-expiring first, a surplus is an undated batch.</summary>
    public async Task SetOnHandAsync(VariantLock variant, int onHand, string kind, string by, string? reason, CancellationToken cancellationToken)
    {
        if (onHand is < 0 or > MaxQuantity)
        {
            throw new DomainException($"Stock on hand is 0 to {MaxQuantity}.", "invalid_stock");
        }

        if (onHand < variant.Reserved)
        {
            throw new ConflictException($"{variant.Reserved} of this variant are held for orders; stock on hand cannot go below that.", "stock_below_reserved");
        }

        var difference = onHand - variant.OnHand;
        if (difference < 0)
        {
            await TakeAsync(variant, -difference, kind, by, reason, null, releaseHeld: false, cancellationToken);
        }
        else if (difference > 0)
        {
            await ReceiveAsync(variant, difference, kind, BatchDates.None, by, reason, null, cancellationToken);
        }
    }

    /// <summary>
    /// A paid order's held goods leave the shelf from the batches that expire first; returns them at cost. When a batch
    /// the hold counted on expired meanwhile and too few good ones are left, nothing is taken: the shortages come back
    /// instead (expired goods are never sold online), and the caller fails the confirmation so the order is refunded.
    /// </summary>
    public async Task<(IReadOnlyList<CostedLine> Taken, IReadOnlyList<StockShortage> Shortages)> TryTakeHeldAsync(
        Guid orderId, Guid cooperativeId, IEnumerable<StockReservationLine> lines, CancellationToken cancellationToken)
    {
        // The cooperative's date is read before any variant is locked: the locks are held for as few round trips as can be.
        await TodayAsync(cooperativeId, cancellationToken);
        var ordered = lines.GroupBy(l => l.VariantId).Select(g => new StockReservationLine(orderId, g.Key, g.Sum(l => l.Quantity))).OrderBy(l => l.VariantId).ToList();
        var locked = new List<(StockReservationLine Line, VariantLock Variant, List<OpenBatch> Batches)>();
        var shortages = new List<StockShortage>();
        // Every variant locked and judged before anything moves, so a shortage leaves nothing half taken. What can be sold
        // online is what its unexpired batches hold, read once and taken from (the lines are one per variant).
        foreach (var line in ordered)
        {
            var variant = await LockAsync(line.VariantId, cancellationToken)
                ?? throw new InvalidOperationException($"Variant {line.VariantId} of a held order is gone.");
            var batches = await OpenBatchesAsync(variant, online: true, cancellationToken);
            var sellable = batches.Sum(b => b.Remaining);
            if (sellable < line.Quantity)
            {
                shortages.Add(new StockShortage(line.VariantId, line.Quantity, sellable, "expired"));
            }

            locked.Add((line, variant, batches));
        }

        if (shortages.Count > 0)
        {
            return ([], shortages);
        }

        var costed = new List<CostedLine>();
        foreach (var (line, variant, batches) in locked)
        {
            costed.Add(await TakeFromAsync(variant, batches, line.Quantity, MovementKinds.SoldOnline, System, null, orderId, releaseHeld: true, cancellationToken));
        }

        await CheckLowStockAsync(costed.Select(c => c.VariantId), cancellationToken);
        return (costed, []);
    }

    /// <summary>Takes stock no longer held (the hold lapsed before payment), all lines or the shortages; roll back on shortages.</summary>
    public async Task<(IReadOnlyList<CostedLine> Taken, IReadOnlyList<StockShortage> Shortages)> TryTakeUnheldAsync(
        Guid orderId, IEnumerable<StockReservationLine> lines, CancellationToken cancellationToken)
    {
        var costed = new List<CostedLine>();
        var shortages = new List<StockShortage>();
        foreach (var line in lines.OrderBy(l => l.VariantId))
        {
            var variant = await LockAsync(line.VariantId, cancellationToken);
            // Only unexpired goods can be sold online, and other orders' holds come first.
            var free = variant is null ? 0 : Math.Max(0, await SellableAsync(variant, cancellationToken) - variant.Reserved);
            if (variant is null || free < line.Quantity)
            {
                shortages.Add(new StockShortage(line.VariantId, line.Quantity, free, "sold_out"));
                continue;
            }

            costed.Add(await TakeAsync(variant, line.Quantity, MovementKinds.SoldOnline, System, null, orderId, releaseHeld: false, cancellationToken));
        }

        if (shortages.Count == 0)
        {
            await CheckLowStockAsync(costed.Select(c => c.VariantId), cancellationToken);
        }

        return (costed, shortages);
    }

    /// <summary>
    /// How many of a locked variant's goods may still be sold online: its batches not past their last day where its
    /// cooperative is, whether or not the hourly sweep has taken the expired ones off yet.
    /// </summary>
    public async Task<int> SellableAsync(VariantLock variant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(variant);
        var today = await TodayAsync(variant.CooperativeId, cancellationToken);
        return await db.Database.SqlQuery<int>($"""
            SELECT COALESCE(SUM(remaining), 0)::int AS "Value" FROM catalog.stock_batches
            WHERE variant_id = {variant.VariantId} AND remaining > 0 AND (expires_on IS NULL OR expires_on >= {today})
            """).SingleAsync(cancellationToken);
    }

    /// <summary>A cancelled paid order's goods go back into the very batches they were taken from.</summary>
    public async Task<IReadOnlyList<CostedLine>> RestockAsync(Guid orderId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var allocations = await db.Database.SqlQuery<AllocatedBatch>($"""
            SELECT a.batch_id AS batch_id, a.variant_id AS variant_id, a.quantity AS quantity, b.cost_per_unit_rupiah AS cost_per_unit_rupiah
            FROM catalog.stock_allocations a JOIN catalog.stock_batches b ON b.id = a.batch_id
            WHERE a.order_id = {orderId}
            ORDER BY a.variant_id, a.batch_id
            """).ToListAsync(cancellationToken);
        var costed = new List<CostedLine>();
        foreach (var group in allocations.GroupBy(a => a.VariantId))
        {
            var variant = await LockAsync(group.Key, cancellationToken)
                ?? throw new InvalidOperationException($"Variant {group.Key} of a sold order is gone.");
            foreach (var allocation in group)
            {
                await MoveAsync(variant.VariantId, allocation.BatchId, MovementKinds.Restocked, allocation.Quantity, 0, System, "order cancelled", orderId, null, now, allocate: false, cancellationToken);
            }

            costed.Add(new CostedLine(
                variant.VariantId, variant.ProductId, variant.MemberId, group.Sum(a => a.Quantity),
                group.Sum(a => a.Quantity * (a.CostPerUnitRupiah ?? 0)), group.All(a => a.CostPerUnitRupiah is not null)));
        }

        await CheckLowStockAsync(costed.Select(c => c.VariantId), cancellationToken);
        return costed;
    }

    /// <summary>
    /// Tells each member once that a size's stock fell to or below her threshold (<see cref="StockRunningLow"/>), and
    /// re-arms the warning once it rose above again. Call after the stock changed, in the same transaction.
    /// </summary>
    public async Task CheckLowStockAsync(IEnumerable<Guid> variantIds, CancellationToken cancellationToken)
    {
        var ids = variantIds.Distinct().ToArray();
        if (ids.Length == 0)
        {
            return;
        }

        // One statement: re-arms the warning of every size back above its threshold (or without one), and sets it on
        // every active size at or below it that was not yet warned; only those are returned (their flag is now on).
        var low = (await db.Database.SqlQuery<LowStockFlip>($"""
            UPDATE catalog.variants v SET low_stock_warned = NOT v.low_stock_warned
            FROM catalog.products p
            WHERE v.id = ANY({ids}) AND p.id = v.product_id
              AND v.low_stock_warned <> CASE
                  WHEN v.low_stock_threshold IS NULL OR v.on_hand > v.low_stock_threshold THEN false
                  WHEN v.active THEN true
                  ELSE v.low_stock_warned END
            RETURNING v.low_stock_warned AS warned, v.id AS variant_id, p.id AS product_id, p.cooperative_id AS cooperative_id, p.member_id AS member_id, p.name_id AS name_id, v.label AS label, v.on_hand AS on_hand, COALESCE(v.low_stock_threshold, 0) AS threshold
            """).ToListAsync(cancellationToken)).Where(f => f.Warned).ToList();
        var now = clock.GetUtcNow();
        foreach (var l in low)
        {
            outbox.Publish(new StockRunningLow(l.VariantId, l.ProductId, l.CooperativeId, l.MemberId, l.NameId, l.Label, l.OnHand, l.Threshold, now), l.VariantId.ToString());
        }
    }

    /// <summary>The variants whose cached on hand differs from the sum of their movements or of their batches: none, always.</summary>
    public Task<List<StockMismatch>> MismatchesAsync(CancellationToken cancellationToken) =>
        db.Database.SqlQuery<StockMismatch>($"""
            SELECT v.id AS variant_id, v.on_hand AS on_hand,
                   COALESCE((SELECT SUM(m.quantity) FROM catalog.stock_movements m WHERE m.variant_id = v.id), 0)::int AS movements,
                   COALESCE((SELECT SUM(b.remaining) FROM catalog.stock_batches b WHERE b.variant_id = v.id), 0)::int AS batches
            FROM catalog.variants v
            WHERE v.on_hand <> COALESCE((SELECT SUM(m.quantity) FROM catalog.stock_movements m WHERE m.variant_id = v.id), 0)
               OR v.on_hand <> COALESCE((SELECT SUM(b.remaining) FROM catalog.stock_batches b WHERE b.variant_id = v.id), 0)
            ORDER BY v.id
            """).ToListAsync(cancellationToken);

    // Read once per cooperative for the book's scope (one message or request), not once per line and step: a paid
    // order's confirmation asked twice per line while it held the variant's lock.
    private async Task<DateOnly> TodayAsync(Guid cooperativeId, CancellationToken cancellationToken)
    {
        if (!_today.TryGetValue(cooperativeId, out var today))
        {
            _today[cooperativeId] = today = clock.Today(await db.TimeZoneOfAsync(cooperativeId, cancellationToken));
        }

        return today;
    }

    /// <summary>
    /// One movement: the batch, the variant's on hand (and, for a paid hold, its reserved) and the card line in a single
    /// statement. The check constraints refuse a batch below zero and on hand below what is held.
    /// </summary>
    private async Task MoveAsync(
        Guid variantId, Guid batchId, string kind, int quantity, int releaseHeld, string by, string? reason, Guid? orderId, Guid? deliveryId, DateTimeOffset now,
        bool allocate, CancellationToken cancellationToken)
    {
        // With allocate, the order also remembers which batch the goods came from (a return puts them back there), in the
        // same statement: each round trip is one more the variant's lock is held for.
        var moved = await db.Database.ExecuteSqlAsync($"""
            WITH v AS (
                UPDATE catalog.variants SET on_hand = on_hand + {quantity}, reserved = reserved - {releaseHeld}
                WHERE id = {variantId} RETURNING on_hand),
            b AS (
                UPDATE catalog.stock_batches SET remaining = remaining + {quantity}
                WHERE id = {batchId} AND variant_id = {variantId} RETURNING id),
            a AS (
                INSERT INTO catalog.stock_allocations (order_id, batch_id, variant_id, quantity)
                SELECT {orderId}, b.id, {variantId}, -{quantity} FROM b WHERE {allocate}
                ON CONFLICT (order_id, batch_id) DO UPDATE SET quantity = stock_allocations.quantity + excluded.quantity)
            INSERT INTO catalog.stock_movements (variant_id, batch_id, kind, quantity, on_hand_after, made_by, at, reason, order_id, delivery_id)
            SELECT {variantId}, b.id, {kind}, {quantity}, v.on_hand, {by}, {now}, {reason}, {orderId}, {deliveryId} FROM v, b
            """, cancellationToken);
        if (moved != 1)
        {
            throw new InvalidOperationException($"Batch {batchId} is not one of variant {variantId}'s.");
        }
    }
}

/// <summary>A variant's row, locked for the transaction, with what the stock book needs of its product.</summary>
public sealed record VariantLock(Guid VariantId, Guid ProductId, Guid MemberId, Guid CooperativeId, int OnHand, int Reserved);

/// <summary>A batch's dates and cost as its member gave them; all optional.</summary>
public sealed record BatchDates(DateOnly? ProducedOn, DateOnly? ExpiresOn, long? CostPerUnitRupiah)
{
    public static BatchDates None { get; } = new(null, null, null);
}

public sealed record StockMismatch(Guid VariantId, int OnHand, int Movements, int Batches);

internal sealed record OpenBatch(Guid Id, int Remaining, long? CostPerUnitRupiah);

internal sealed record AllocatedBatch(Guid BatchId, Guid VariantId, int Quantity, long? CostPerUnitRupiah);

internal sealed record LowStockFlip(bool Warned, Guid VariantId, Guid ProductId, Guid CooperativeId, Guid MemberId, string NameId, string Label, int OnHand, int Threshold);
