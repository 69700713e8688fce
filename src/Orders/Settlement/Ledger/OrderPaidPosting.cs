using MassTransit;
using Marketplace.Contracts.Orders;
using Marketplace.Orders.Settlement.Data;
using Marketplace.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Orders.Settlement.Ledger;

/// <summary>Books a paid order as <see cref="SalePostings.Sale"/> says, once.</summary>
public sealed class OrderPaidPosting(SettlementDbContext db) : IdempotentConsumer<OrderPaid, SettlementDbContext>(db)
{
    protected override async Task HandleAsync(OrderPaid message, ConsumeContext<OrderPaid> context, CancellationToken cancellationToken)
    {
        var source = SalePostings.SaleSource(message.OrderId);
        if (await Db.JournalEntries.AnyAsync(e => e.Source == source, cancellationToken))
        {
            return;
        }

        var (lines, entry) = SalePostings.Sale(message);
        Db.SaleLines.AddRange(lines);
        Db.JournalEntries.Add(entry);
    }
}
