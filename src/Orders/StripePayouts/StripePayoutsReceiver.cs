using Marketplace.Contracts.Orders;
using Marketplace.Orders.Payments;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Stripe;

namespace Marketplace.Orders.StripePayouts;

/// <summary>
/// <c>payout.paid</c>: the payout is asked of Stripe (paid, in rupiah), its balance transactions are listed page by page,
/// and each is recognised by what Orders knows of it (a charge by its order's PaymentIntent, a refund by Stripe's refund
/// id, a dispute by its id). Settlement matches them to its books; Orders only says what each one is.
/// </summary>
public sealed partial class StripePayoutsReceiver(IStripeClient client, OrdersDbContext db, TimeProvider clock, ILogger<StripePayoutsReceiver> logger)
{
    public async Task<StripePayoutReceived?> ReceiveAsync(string payoutId, string stripeAccount, CancellationToken cancellationToken)
    {
        if (await db.StripePayouts.AsNoTracking().FirstOrDefaultAsync(p => p.Id == payoutId, cancellationToken) is { } known)
        {
            return known;
        }

        var cooperativeId = await db.Merchants.AsNoTracking().Where(m => m.StripeAccountId == stripeAccount).Select(m => (Guid?)m.CooperativeId).FirstOrDefaultAsync(cancellationToken);
        if (cooperativeId is null)
        {
            LogUnknownAccount(logger, payoutId, stripeAccount);
            return null;
        }

        var options = new RequestOptions { StripeAccount = stripeAccount };
        var payout = await new PayoutService(client).GetAsync(payoutId, null, options, cancellationToken);
        if (payout.Status != "paid" || !string.Equals(payout.Currency, "idr", StringComparison.OrdinalIgnoreCase))
        {
            LogNotPaid(logger, payoutId, payout.Status);
            return null;
        }

        var transactions = new List<BalanceTransaction>();
        await foreach (var transaction in new BalanceTransactionService(client)
            .ListAutoPagingAsync(new BalanceTransactionListOptions { Payout = payoutId, Limit = 100 }, options, cancellationToken))
        {
            transactions.Add(transaction);
        }

        // Stripe's charge transactions name the charge; the order knows its PaymentIntent, which the charge names.
        var intentsByCharge = new Dictionary<string, string>(StringComparer.Ordinal);
        var methodsByCharge = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var chargeId in transactions.Where(t => t.Type == "charge" || t.Type == "payment").Select(t => t.SourceId).Where(s => s is not null).Distinct())
        {
            var charge = await new ChargeService(client).GetAsync(chargeId, null, options, cancellationToken);
            if (charge.PaymentIntentId is { } intent)
            {
                intentsByCharge[chargeId!] = intent;
            }

            // Card, QRIS or GoPay: the report names each payment as the shopper made it.
            if (charge.PaymentMethodDetails?.Type is { } method)
            {
                methodsByCharge[chargeId!] = method;
            }
        }

        var intents = intentsByCharge.Values.ToList();
        var orders = await db.Orders.AsNoTracking()
            .Where(o => o.StripeAccountId == stripeAccount && o.PaymentReference != null && intents.Contains(o.PaymentReference))
            .Select(o => new { o.Id, o.PaymentReference }).ToDictionaryAsync(o => o.PaymentReference!, o => o.Id, cancellationToken);
        var sources = transactions.Select(t => t.SourceId).Where(s => s is not null).ToList();
        var refunds = await db.Refunds.AsNoTracking().Where(r => r.StripeRefundId != null && sources.Contains(r.StripeRefundId))
            .Select(r => new { r.Id, r.StripeRefundId }).ToDictionaryAsync(r => r.StripeRefundId!, r => r.Id, cancellationToken);
        var disputes = await db.OrderDisputes.AsNoTracking().Where(d => d.StripeAccountId == stripeAccount && sources.Contains(d.Id))
            .Select(d => d.Id).ToListAsync(cancellationToken);

        var lines = transactions.Select(t =>
        {
            var source = t.SourceId ?? string.Empty;
            Guid? orderId = intentsByCharge.TryGetValue(source, out var intent) && orders.TryGetValue(intent, out var order) ? order : null;
            Guid? refundId = refunds.TryGetValue(source, out var refund) ? refund : null;
            var disputeId = disputes.Contains(source) ? source : null;
            return new StripePayoutTransaction(t.Id, t.ReportingCategory ?? t.Type, source, StripePayments.FromStripeAmount(t.Amount),
                StripePayments.FromStripeAmount(t.Fee), StripePayments.FromStripeAmount(t.Net), orderId, refundId, disputeId, methodsByCharge.GetValueOrDefault(source));
        }).ToList();
        var paid = new StripePayoutPaid(cooperativeId.Value, payout.Id, stripeAccount, StripePayments.FromStripeAmount(payout.Amount),
            new DateTimeOffset(payout.ArrivalDate, TimeSpan.Zero), lines, clock.GetUtcNow());
        var received = StripePayoutReceived.Record(paid);
        db.StripePayouts.Add(received);
        // A payment whose fee was not known when it was recorded gets it now, from the transaction the payout carries
        // (Settlement books it once, and not at all if the sale already held it): the payout always comes.
        var paidOrders = await db.Orders.Where(o => o.StripeAccountId == stripeAccount && o.PaymentReference != null && intents.Contains(o.PaymentReference))
            .ToDictionaryAsync(o => o.PaymentReference!, cancellationToken);
        foreach (var transaction in transactions.Where(t => t.Type is "charge" or "payment" && t.SourceId is not null))
        {
            if (intentsByCharge.TryGetValue(transaction.SourceId!, out var intent) && paidOrders.TryGetValue(intent, out var paidOrder))
            {
                paidOrder.PaymentFeesKnown(StripePayments.FeesOf(transaction), clock.GetUtcNow());
            }
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // The same payout's event delivered twice at once: the other one recorded it.
            db.ChangeTracker.Clear();
        }

        return received;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stripe payout {PayoutId} is on account {StripeAccount}, which no cooperative here uses; not recorded")]
    private static partial void LogUnknownAccount(ILogger logger, string payoutId, string stripeAccount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stripe payout {PayoutId} is {Status}, not paid in rupiah; not recorded")]
    private static partial void LogNotPaid(ILogger logger, string payoutId, string status);
}
