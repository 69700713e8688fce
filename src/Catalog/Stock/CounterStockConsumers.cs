using MassTransit;
using Marketplace.Catalog.Data;
using Marketplace.Contracts.Catalog;
using Marketplace.Contracts.Orders;
using Marketplace.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Catalog.Stock;

/// <summary>
/// A walk-in sale was recorded: its goods leave the shelf, what the books did not have is flagged as a shortage, and
/// what was taken is published at cost. Once per sale: the inbox drops a redelivery, and the sale's key drops the same
/// sale sent again under a new message id.
/// </summary>
public sealed class TakeCounterStockConsumer(CatalogDbContext db, StockBook book, IOutbox outbox)
    : IdempotentConsumer<TakeCounterStock, CatalogDbContext>(db)
{
    protected override async Task HandleAsync(TakeCounterStock message, ConsumeContext<TakeCounterStock> context, CancellationToken cancellationToken)
    {
        if (!await CounterStockKeys.ClaimAsync(Db, message.OrderId, "sale", message.OrderId, cancellationToken))
        {
            return;
        }

        var taken = await book.TakeAtCounterAsync(
            message.OrderId, message.CooperativeId, message.Lines, CounterStockKeys.Who(message.SoldBy), message.SoldAt, cancellationToken);
        if (taken.Count > 0)
        {
            // Dated by the sale, so that its cost falls in the month of its omzet even when an offline device sent it late.
            outbox.Publish(new StockSoldAtCost(message.OrderId, message.CooperativeId, taken, message.SoldAt), message.OrderId.ToString());
        }
    }
}

/// <summary>
/// Goods of a walk-in sale came back over the counter: back into the batches they came from, and their cost published so
/// the books take it back. Once per refund.
/// </summary>
public sealed class ReturnCounterStockConsumer(CatalogDbContext db, StockBook book, IOutbox outbox)
    : IdempotentConsumer<ReturnCounterStock, CatalogDbContext>(db)
{
    protected override async Task HandleAsync(ReturnCounterStock message, ConsumeContext<ReturnCounterStock> context, CancellationToken cancellationToken)
    {
        // The sale's goods must have left the shelf before they can come back: a return that overtook its sale waits
        // (the retry finds the sale), rather than being mistaken for goods the books never had.
        if (!await Db.Set<CounterStockKey>().AnyAsync(k => k.Key == message.OrderId && k.Kind == "sale", cancellationToken))
        {
            throw new InvalidOperationException($"The counter sale {message.OrderId} of return {message.RefundId} has not been taken off the shelf yet.");
        }

        if (!await CounterStockKeys.ClaimAsync(Db, message.RefundId, "return", message.OrderId, cancellationToken))
        {
            return;
        }

        var returned = await book.ReturnAtCounterAsync(message.OrderId, message.CooperativeId, message.Lines, CounterStockKeys.Who(message.ReturnedBy), cancellationToken);
        if (returned.Count > 0)
        {
            outbox.Publish(new StockReturnedAtCost(message.OrderId, message.RefundId, message.CooperativeId, returned, message.ReturnedAt), message.OrderId.ToString());
        }
    }
}

internal static class CounterStockKeys
{
    /// <summary>Records a sale's or a return's key; false when it was applied already (a concurrent one waits on the row and then finds it).</summary>
    public static async Task<bool> ClaimAsync(CatalogDbContext db, Guid key, string kind, Guid orderId, CancellationToken cancellationToken) =>
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO catalog.counter_stock_keys (key, kind, order_id, at) VALUES ({key}, {kind}, {orderId}, now())
            ON CONFLICT (key) DO NOTHING
            """, cancellationToken) == 1;

    /// <summary>The card's "made by" holds 64 characters; a user id fits, anything longer is cut rather than refused.</summary>
    public static string Who(string? by) => string.IsNullOrWhiteSpace(by) ? StockBook.System : by.Length > 64 ? by[..64] : by;
}
