using Microsoft.EntityFrameworkCore;

namespace Marketplace.Orders.Baskets;

/// <summary>
/// Deletes guest baskets nobody touched for <see cref="BasketOwner.GuestLifetime"/>: their cookie has expired with them, so
/// nobody can reach them again. Runs at start and then hourly on every replica; rows are taken with SKIP LOCKED, so two
/// replicas sweeping at once delete different baskets and never wait on each other. Idle, it is one indexed query an hour.
/// </summary>
public sealed partial class GuestBasketSweep(IServiceScopeFactory scopes, TimeProvider clock, ILogger<GuestBasketSweep> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    private const int BatchSize = 1000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is Npgsql.NpgsqlException or DbUpdateException or InvalidOperationException)
            {
                // What was due is still due at the next sweep.
                LogFailed(logger, ex);
            }

            await Task.Delay(Interval, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>Deletes every guest basket untouched since before the cookie's lifetime; returns how many this replica deleted.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var before = clock.GetUtcNow() - BasketOwner.GuestLifetime;
        var deleted = 0;
        int batch;
        do
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<OrdersDbContext>();
            batch = await db.Database.ExecuteSqlAsync(
                $"""
                DELETE FROM orders.baskets WHERE id IN (
                    SELECT id FROM orders.baskets
                    WHERE owner LIKE 'guest:%' AND updated_at < {before}
                    ORDER BY updated_at LIMIT {BatchSize}
                    FOR UPDATE SKIP LOCKED)
                """,
                cancellationToken);
            deleted += batch;
        }
        while (batch == BatchSize);

        if (deleted > 0)
        {
            LogSwept(logger, deleted);
        }

        return deleted;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} guest baskets nobody touched for 30 days")]
    private static partial void LogSwept(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deleting old guest baskets failed; trying again at the next sweep")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
