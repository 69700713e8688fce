using Marketplace.Orders.OrderAggregate;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Orders.Lifecycle;

/// <summary>
/// Orders paid through Stripe not paid by their deadline (awaiting payment, or a QRIS/GoPay payment still being confirmed): each is closed at Stripe and expires, or is paid if Stripe says so after
/// all (<see cref="OrderLifecycle.ExpireUnpaidAsync"/>). No transaction is open while Stripe is asked; replicas may
/// meet on an order, and then Stripe's idempotency and the order's row version make the second one change nothing.
/// </summary>
public sealed partial class UnpaidOrderExpiry(IServiceScopeFactory scopes, TimeProvider clock, ILogger<UnpaidOrderExpiry> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(20);

    private const int BatchSize = 50;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            try
            {
                while (await ExpireBatchAsync(stoppingToken) == BatchSize)
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

    /// <summary>Expires due orders, the longest overdue first, each on its own; returns how many it handled.</summary>
    public async Task<int> ExpireBatchAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        List<Guid> due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            due = await scope.ServiceProvider.GetRequiredService<OrdersDbContext>().Orders.AsNoTracking()
                .Where(o => (o.Status == OrderStatus.AwaitingPayment || o.Status == OrderStatus.ConfirmingPayment) && o.PaymentDeadline < now)
                .OrderBy(o => o.PaymentDeadline).Select(o => o.Id).Take(BatchSize).ToListAsync(cancellationToken);
        }

        foreach (var orderId in due)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<OrdersDbContext>();
            try
            {
                await scope.ServiceProvider.GetRequiredService<OrderLifecycle>().ExpireUnpaidAsync(orderId, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One order Stripe cannot answer for must not hold up the others: it is tried again in a minute.
                LogOrderFailed(logger, orderId, ex);
                db.ChangeTracker.Clear();
                await db.Orders.Where(o => o.Id == orderId && (o.Status == OrderStatus.AwaitingPayment || o.Status == OrderStatus.ConfirmingPayment))
                    .ExecuteUpdateAsync(set => set.SetProperty(o => o.PaymentDeadline, now.AddMinutes(1)), cancellationToken);
            }
        }

        return due.Count;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Expiring order {OrderId} failed; trying it again in a minute")]
    private static partial void LogOrderFailed(ILogger logger, Guid orderId, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Expiring unpaid orders failed; retrying at the next tick")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
