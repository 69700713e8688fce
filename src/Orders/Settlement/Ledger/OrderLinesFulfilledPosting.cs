using MassTransit;
using Marketplace.Contracts.Orders;
using Marketplace.Orders.Settlement.Data;
using Marketplace.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Orders.Settlement.Ledger;

/// <summary>Lines reached the shopper: <see cref="SalePostings.Fulfilment"/>, at the cooperative's holding period.</summary>
public sealed class OrderLinesFulfilledPosting(SettlementDbContext db) : IdempotentConsumer<OrderLinesFulfilled, SettlementDbContext>(db)
{
    protected override async Task HandleAsync(OrderLinesFulfilled message, ConsumeContext<OrderLinesFulfilled> context, CancellationToken cancellationToken)
    {
        var source = SalePostings.FulfilmentSource(message.OrderId);
        if (await Db.JournalEntries.AnyAsync(e => e.Source == source, cancellationToken))
        {
            return;
        }

        var ids = message.Lines.Select(l => l.OrderLineId).ToList();
        var sold = await Db.SaleLines.Where(l => ids.Contains(l.OrderLineId)).ToListAsync(cancellationToken);
        if (sold.Count != ids.Count)
        {
            // The sale's message has not been posted yet (messages of one order may arrive out of order): retry later.
            throw new InvalidOperationException($"Order {message.OrderId} is fulfilled before its sale is in the books.");
        }

        var settings = await Db.CooperativeSettings.FindAsync([message.CooperativeId], cancellationToken);
        Db.JournalEntries.Add(SalePostings.Fulfilment(message, sold, settings?.Holding ?? TimeSpan.Zero));
    }
}
