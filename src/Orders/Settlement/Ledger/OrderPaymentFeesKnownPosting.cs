using MassTransit;
using Marketplace.Contracts.Orders;
using Marketplace.Orders.Settlement.Data;
using Marketplace.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Orders.Settlement.Ledger;

/// <summary>
/// Books a payment's fees learnt after its sale (<see cref="SalePostings.LateFees"/>) exactly once: not when the sale
/// already held them, not a second time however often they are told.
/// </summary>
public sealed class OrderPaymentFeesKnownPosting(SettlementDbContext db) : IdempotentConsumer<OrderPaymentFeesKnown, SettlementDbContext>(db)
{
    protected override async Task HandleAsync(OrderPaymentFeesKnown message, ConsumeContext<OrderPaymentFeesKnown> context, CancellationToken cancellationToken)
    {
        var saleSource = SalePostings.SaleSource(message.OrderId);
        var sale = await Db.JournalEntries.AsNoTracking().Where(e => e.Source == saleSource).Select(e => (Guid?)e.Id).FirstOrDefaultAsync(cancellationToken)
            // Told before the sale is booked (the messages crossed): retried until it is, so the sale decides.
            ?? throw new InvalidOperationException($"The sale of order {message.OrderId} is not booked yet.");
        var lateSource = SalePostings.PaymentFeeSource(message.OrderId);
        if (await Db.JournalEntries.AnyAsync(e => e.Source == lateSource, cancellationToken)
            || await Db.JournalLines.AnyAsync(l => l.EntryId == sale && (l.Account == Accounts.StripeFees || l.Account == Accounts.ApplicationFees), cancellationToken))
        {
            return;
        }

        if (SalePostings.LateFees(message) is { } entry)
        {
            Db.JournalEntries.Add(entry);
        }
    }
}
