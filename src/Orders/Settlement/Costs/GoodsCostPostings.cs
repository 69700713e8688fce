using MassTransit;
using Marketplace.Contracts.Catalog;
using Marketplace.Orders.Settlement.Data;
using Marketplace.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Orders.Settlement.Costs;

/// <summary>Records what an order's goods cost their members when Catalog took them off the shelf, once.</summary>
public sealed class StockSoldAtCostConsumer(SettlementDbContext db) : IdempotentConsumer<StockSoldAtCost, SettlementDbContext>(db)
{
    protected override async Task HandleAsync(StockSoldAtCost message, ConsumeContext<StockSoldAtCost> context, CancellationToken cancellationToken)
    {
        // Dated by the sale when the books have it, so the cost falls in the month of its omzet.
        var soldAt = await GoodsCostPostings.SoldAtAsync(Db, message.OrderId, cancellationToken) ?? message.At;
        await GoodsCostPostings.AddAsync(Db, message.CooperativeId, message.OrderId, message.Lines, GoodsCostKind.Sold, soldAt, message.At, Guid.Empty, cancellationToken);
    }
}

/// <summary>Reverses the cost of a cancelled order's goods put back on the shelf, in the month of the sale, once.</summary>
public sealed class StockRestockedAtCostConsumer(SettlementDbContext db) : IdempotentConsumer<StockRestockedAtCost, SettlementDbContext>(db)
{
    protected override async Task HandleAsync(StockRestockedAtCost message, ConsumeContext<StockRestockedAtCost> context, CancellationToken cancellationToken)
    {
        var soldAt = await GoodsCostPostings.SoldAtAsync(Db, message.OrderId, cancellationToken)
            ?? await Db.GoodsCosts.Where(c => c.OrderId == message.OrderId && c.Kind == GoodsCostKind.Sold).Select(c => (DateTimeOffset?)c.SoldAt).FirstOrDefaultAsync(cancellationToken)
            // Redelivered later, like a refund that overtook its sale: its month is the sale's, not yet known.
            ?? throw new InvalidOperationException($"Restock of order {message.OrderId} arrived before its sale is known.");
        await GoodsCostPostings.AddAsync(Db, message.CooperativeId, message.OrderId, message.Lines, GoodsCostKind.Restocked, soldAt, message.At, Guid.Empty, cancellationToken);
    }
}

/// <summary>
/// Reverses the cost of a walk-in sale's goods brought back over the counter, once per refund, in the month of the sale:
/// the laba follows the goods as the refund follows the omzet.
/// </summary>
public sealed class StockReturnedAtCostConsumer(SettlementDbContext db) : IdempotentConsumer<StockReturnedAtCost, SettlementDbContext>(db)
{
    protected override async Task HandleAsync(StockReturnedAtCost message, ConsumeContext<StockReturnedAtCost> context, CancellationToken cancellationToken)
    {
        var soldAt = await GoodsCostPostings.SoldAtAsync(Db, message.OrderId, cancellationToken)
            ?? await Db.GoodsCosts.Where(c => c.OrderId == message.OrderId && c.Kind == GoodsCostKind.Sold).Select(c => (DateTimeOffset?)c.SoldAt).FirstOrDefaultAsync(cancellationToken)
            ?? throw new InvalidOperationException($"Return {message.RefundId} of order {message.OrderId} arrived before its sale is known.");
        await GoodsCostPostings.AddAsync(Db, message.CooperativeId, message.OrderId, message.Lines, GoodsCostKind.Returned, soldAt, message.At, message.RefundId, cancellationToken);
    }
}

internal static class GoodsCostPostings
{
    public static Task<DateTimeOffset?> SoldAtAsync(SettlementDbContext db, Guid orderId, CancellationToken cancellationToken) =>
        db.SaleLines.Where(l => l.OrderId == orderId).Select(l => (DateTimeOffset?)l.SoldAt).FirstOrDefaultAsync(cancellationToken);

    public static async Task AddAsync(SettlementDbContext db, Guid cooperativeId, Guid orderId, IReadOnlyList<CostedLine> lines, GoodsCostKind kind,
        DateTimeOffset soldAt, DateTimeOffset at, Guid refundId, CancellationToken cancellationToken)
    {
        var known = await db.GoodsCosts.Where(c => c.OrderId == orderId && c.Kind == kind && c.RefundId == refundId).Select(c => c.VariantId).ToListAsync(cancellationToken);
        // One row per size: a size listed twice in a message is summed, and a size already recorded is not counted again.
        foreach (var size in lines.Where(l => !known.Contains(l.VariantId)).GroupBy(l => l.VariantId))
        {
            var first = size.First();
            var line = first with { Quantity = size.Sum(l => l.Quantity), CostRupiah = size.Sum(l => l.CostRupiah), CostKnown = size.All(l => l.CostKnown) };
            db.GoodsCosts.Add(GoodsCost.Of(cooperativeId, orderId, line, kind, soldAt, at, refundId));
        }
    }
}
