using MassTransit;
using Marketplace.Contracts.Orders;
using Marketplace.Orders.Settlement.Data;
using Marketplace.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Orders.Settlement.Ledger;

/// <summary>Books a refund as <see cref="SalePostings.Refund"/> says, once, after its sale.</summary>
public sealed class OrderRefundedPosting(SettlementDbContext db) : IdempotentConsumer<OrderRefunded, SettlementDbContext>(db)
{
    protected override async Task HandleAsync(OrderRefunded message, ConsumeContext<OrderRefunded> context, CancellationToken cancellationToken)
    {
        var source = SalePostings.RefundSource(message.RefundId);
        if (await Db.JournalEntries.AnyAsync(e => e.Source == source, cancellationToken))
        {
            return;
        }

        var ids = message.Lines.Select(l => l.OrderLineId).ToList();
        var sold = await Db.SaleLines.Where(l => ids.Contains(l.OrderLineId)).ToDictionaryAsync(l => l.OrderLineId, cancellationToken);
        var saleSource = SalePostings.SaleSource(message.OrderId);
        if (sold.Count != ids.Distinct().Count() || !await Db.JournalEntries.AnyAsync(e => e.Source == saleSource, cancellationToken))
        {
            throw new InvalidOperationException($"Refund {message.RefundId} arrived before its sale is in the books.");
        }

        Db.JournalEntries.Add(SalePostings.Refund(message, sold));
    }
}
