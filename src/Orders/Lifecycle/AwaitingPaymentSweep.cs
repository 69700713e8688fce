using Marketplace.Orders.OrderAggregate;
using Marketplace.Orders.Payments;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Marketplace.Orders.Lifecycle;

/// <summary>
/// Orders still awaiting payment through Stripe, or whose QRIS/GoPay payment is being confirmed, are checked with Stripe every <see cref="StripeOptions.PaymentSweepInterval"/>, through the webhook's own step
/// (<see cref="OrderLifecycle.ReconcileWithStripeAsync"/>): a payment whose webhook was lost (every attempt failed while
/// Orders was down, or the endpoint was misconfigured) is recorded within a minute or so, never hours later. Idle, a sweep
/// is one query on the (status, payment_deadline) index. One replica sweeps at a time (a session advisory lock, taken
/// without waiting, held on its own connection and never inside a transaction, since Stripe is asked meanwhile); a crash
/// drops the connection and with it the lock.
/// </summary>
public sealed partial class AwaitingPaymentSweep(
    IServiceScopeFactory scopes, IOptions<StripeOptions> options, TimeProvider clock, ILogger<AwaitingPaymentSweep> logger) : BackgroundService
{
    // pg_advisory_lock key: "sweep" in ASCII, apart from every other lock Orders takes (those hash cooperative ids).
    private const long LockKey = 0x7377_6565_70;

    private const int BatchSize = 200;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The first sweep runs at start: a replica coming back after an outage is exactly when webhooks were lost.
        using var timer = new PeriodicTimer(options.Value.PaymentSweepInterval, clock);
        do
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Asks Stripe about each order awaiting card payment (oldest first); returns how many it asked about, or -1 when another replica is sweeping.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        await using var lockScope = scopes.CreateAsyncScope();
        var lockDb = lockScope.ServiceProvider.GetRequiredService<OrdersDbContext>();
        var now = clock.GetUtcNow();
        var placedBefore = now - options.Value.PaymentSweepGrace;
        var due = await lockDb.Orders.AsNoTracking()
            .Where(o => (o.Status == OrderStatus.AwaitingPayment || o.Status == OrderStatus.ConfirmingPayment) && o.PaymentDeadline > now && o.CheckoutSessionId != null && o.PlacedAt < placedBefore)
            .OrderBy(o => o.PaymentDeadline).Select(o => o.Id).Take(BatchSize).ToListAsync(cancellationToken);
        if (due.Count == 0)
        {
            return 0;
        }

        // The lock lives on a connection of its own, not one from the pool: pooled connections are not reset when they go
        // back (docs/messaging.md), so a lock left behind by a cancelled or failed sweep would stop every replica's sweep.
        // Closing this connection ends its session, and the lock with it, whatever happened.
        var lockConnectionString = new NpgsqlConnectionStringBuilder(lockDb.Database.GetConnectionString()) { Pooling = false, Multiplexing = false }.ConnectionString;
        await using var lockConnection = new NpgsqlConnection(lockConnectionString);
        await lockConnection.OpenAsync(cancellationToken);
        await using (var tryLock = new NpgsqlCommand("SELECT pg_try_advisory_lock($1)", lockConnection) { Parameters = { new() { Value = LockKey } } })
        {
            if (await tryLock.ExecuteScalarAsync(cancellationToken) is not true)
            {
                return -1;
            }
        }

        foreach (var orderId in due)
        {
            await using var scope = scopes.CreateAsyncScope();
            try
            {
                await scope.ServiceProvider.GetRequiredService<OrderLifecycle>().ReconcileWithStripeAsync(orderId, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One order Stripe cannot answer for must not hold up the rest: it is asked again next sweep.
                LogOrderFailed(logger, orderId, ex);
            }
        }

        return due.Count;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checking order {OrderId} with Stripe failed; asking again at the next sweep")]
    private static partial void LogOrderFailed(ILogger logger, Guid orderId, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Sweeping orders awaiting payment failed; retrying at the next tick")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
