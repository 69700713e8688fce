using MassTransit;
using Marketplace.Contracts.Orders;
using Marketplace.Orders.Settlement.Data;
using Marketplace.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Orders.Settlement.StripePayouts;

/// <summary>Keeps a Stripe payout's transactions for its reconciliation and posts the money's move to the bank, once.</summary>
public sealed class StripePayoutPaidPosting(SettlementDbContext db) : IdempotentConsumer<StripePayoutPaid, SettlementDbContext>(db)
{
    protected override async Task HandleAsync(StripePayoutPaid message, ConsumeContext<StripePayoutPaid> context, CancellationToken cancellationToken)
    {
        if (await Db.StripePayouts.AnyAsync(p => p.Id == message.PayoutId, cancellationToken))
        {
            return;
        }

        var payout = StripePayoutReconciliation.Of(message);
        Db.StripePayouts.Add(payout);
        Db.JournalEntries.Add(payout.Posting());
    }
}
