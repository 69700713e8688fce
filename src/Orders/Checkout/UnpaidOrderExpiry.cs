using Marketplace.Contracts.Orders;
using Marketplace.Orders.Data;
using Marketplace.Orders.Payments;
using Marketplace.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;
using Stripe;

namespace Marketplace.Orders.Checkout;

/// <summary>
/// Card orders not paid by their deadline: the Checkout Session is expired at Stripe (so it can no longer be paid),
/// the order expires and its stock goes back on sale. If Stripe says the session was paid after all, the order is
/// paid instead. Replicas share the work: each claims orders with SKIP LOCKED.
/// </summary>
public sealed partial class UnpaidOrderExpiry(IServiceScopeFactory scopes, TimeProvider clock, ILogger<UnpaidOrderExpiry> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(20);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            try
            {
                while (await ExpireBatchAsync(stoppingToken) > 0)
                {
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task<int> ExpireBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrdersDbContext>();
        var stripe = scope.ServiceProvider.GetRequiredService<StripePayments>();
        var outbox = scope.ServiceProvider.GetRequiredService<IOutbox>();
        var now = clock.GetUtcNow();

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var due = await db.Orders
            .FromSql($"SELECT *, xmin FROM orders.orders WHERE status = 'AwaitingPayment' AND payment_deadline < {now} ORDER BY payment_deadline LIMIT 20 FOR UPDATE SKIP LOCKED")
            .ToListAsync(cancellationToken);
        foreach (var order in due)
        {
            var merchant = await db.Merchants.AsNoTracking().FirstAsync(m => m.CooperativeId == order.CooperativeId, cancellationToken);
            if (order.CheckoutSessionId is not null)
            {
                try
                {
                    await stripe.ExpireSessionAsync(order.CheckoutSessionId, merchant.StripeAccountId!, cancellationToken);
                }
                catch (StripeException)
                {
                    // Already complete (paid at the last second) or already expired: what Stripe says next decides.
                }
            }

            if (await stripe.VerifiedPaymentAsync(order, merchant.StripeAccountId!, cancellationToken) is { } paymentIntent)
            {
                OrderPayment.Record(order, paymentIntent, outbox, now);
            }
            else if (order.Expire(now))
            {
                outbox.Publish(new ReleaseStockReservation(order.Id, "not paid in time"), orderingKey: order.Id.ToString());
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return due.Count;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Expiring unpaid orders failed; retrying at the next tick")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
