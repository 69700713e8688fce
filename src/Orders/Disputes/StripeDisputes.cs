using Marketplace.Orders.Payments;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Stripe;

namespace Marketplace.Orders.Disputes;

/// <summary>
/// Follows a dispute as Stripe says it stands: asked of Stripe (never taken from the event), recorded on the order it
/// disputes. Every <c>charge.dispute.*</c> event, in any order and any number of times, comes here and ends the same way.
/// </summary>
public sealed partial class StripeDisputes(IStripeClient client, OrdersDbContext db, TimeProvider clock, ILogger<StripeDisputes> logger)
{
    /// <summary>The dispute as recorded after asking Stripe; null when it is not about an order of this marketplace.</summary>
    public async Task<OrderDispute?> ReconcileAsync(string disputeId, string stripeAccount, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is not null)
        {
            throw new InvalidOperationException("Stripe is never called inside a database transaction: ask Stripe first, then save.");
        }

        var dispute = await new DisputeService(client).GetAsync(disputeId, null, new RequestOptions { StripeAccount = stripeAccount }, cancellationToken);
        var facts = Facts(dispute, stripeAccount);
        var order = await db.Orders.AsNoTracking()
            .FirstOrDefaultAsync(o => o.PaymentReference == facts.PaymentIntentId && o.StripeAccountId == stripeAccount, cancellationToken);
        if (order is null)
        {
            LogUnknownOrder(logger, disputeId, stripeAccount);
            return null;
        }

        // Two events of one dispute at once: the row's version (or, for the first, its key) lets one win; the other reads
        // what the winner saved and follows Stripe's answer from there, which changes nothing more.
        for (var attempt = 0; ; attempt++)
        {
            var now = clock.GetUtcNow();
            var recorded = await db.OrderDisputes.FirstOrDefaultAsync(d => d.Id == facts.Id, cancellationToken);
            if (recorded is null)
            {
                recorded = OrderDispute.Start(order, facts, now);
                db.OrderDisputes.Add(recorded);
            }
            else if (!recorded.Follow(order, facts, now))
            {
                return recorded;
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return recorded;
            }
            catch (DbUpdateException ex) when (attempt < 3 && (ex is DbUpdateConcurrencyException || ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation }))
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    /// <summary>
    /// Stripe's dispute in whole rupiah: the amount, the fee it withdrew with it, and what a won dispute gave back (the net of
    /// the balance transactions that added to the balance).
    /// </summary>
    public static DisputeFacts Facts(Dispute dispute, string stripeAccount)
    {
        ArgumentNullException.ThrowIfNull(dispute);
        var transactions = dispute.BalanceTransactions ?? [];
        return new DisputeFacts(
            dispute.Id,
            stripeAccount,
            dispute.ChargeId ?? string.Empty,
            dispute.PaymentIntentId ?? string.Empty,
            StripePayments.FromStripeAmount(dispute.Amount),
            StripePayments.FromStripeAmount(transactions.Where(t => t.Amount < 0).Sum(t => t.Fee)),
            StripePayments.FromStripeAmount(transactions.Where(t => t.Amount > 0).Sum(t => t.Net)),
            dispute.Reason ?? "general",
            dispute.Status ?? DisputeStatuses.NeedsResponse,
            new DateTimeOffset(dispute.EvidenceDetails?.DueBy ?? dispute.Created, TimeSpan.Zero));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stripe dispute {DisputeId} on account {StripeAccount} is not about an order here; nothing recorded")]
    private static partial void LogUnknownOrder(ILogger logger, string disputeId, string stripeAccount);
}
