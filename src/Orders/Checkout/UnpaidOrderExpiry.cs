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

    /// <summary>Expires due orders one at a time, each in its own transaction; returns how many it handled.</summary>
    public async Task<int> ExpireBatchAsync(CancellationToken cancellationToken)
    {
        var handled = 0;
        while (handled < 50 && await ExpireOneAsync(cancellationToken))
        {
            handled++;
        }

        return handled;
    }

    private async Task<bool> ExpireOneAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrdersDbContext>();
        var stripe = scope.ServiceProvider.GetRequiredService<StripePayments>();
        var outbox = scope.ServiceProvider.GetRequiredService<IOutbox>();
        var now = clock.GetUtcNow();

        Order? order = null;
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            order = (await db.Orders
                .FromSql($"SELECT *, xmin FROM orders.orders WHERE status = 'AwaitingPayment' AND payment_deadline < {now} ORDER BY payment_deadline LIMIT 1 FOR UPDATE SKIP LOCKED")
                .ToListAsync(cancellationToken)).SingleOrDefault();
            if (order is null)
            {
                return false;
            }

            if (order is { CheckoutSessionId: { } sessionId, StripeAccountId: { } account })
            {
                try
                {
                    await stripe.ExpireSessionAsync(sessionId, account, cancellationToken);
                }
                catch (StripeException)
                {
                    // Already complete (paid at the last second) or already expired: what Stripe says next decides.
                }
            }

            if (order.StripeAccountId is { } paidTo && await stripe.VerifiedPaymentAsync(order, paidTo, cancellationToken) is { } paymentIntent)
            {
                OrderPayment.Record(order, paymentIntent, outbox, now);
            }
            else if (order.Expire(now))
            {
                outbox.Publish(new ReleaseStockReservation(order.Id, "not paid in time"), orderingKey: order.Id.ToString());
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException && order is not null)
        {
            // One order Stripe cannot answer for must not hold up the others: it is tried again in a minute.
            LogOrderFailed(logger, order.Id, ex);
            db.ChangeTracker.Clear();
            await db.Orders.Where(o => o.Id == order.Id)
                .ExecuteUpdateAsync(set => set.SetProperty(o => o.PaymentDeadline, now.AddMinutes(1)), cancellationToken);
            return true;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Expiring order {OrderId} failed; trying it again in a minute")]
    private static partial void LogOrderFailed(ILogger logger, Guid orderId, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Expiring unpaid orders failed; retrying at the next tick")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
