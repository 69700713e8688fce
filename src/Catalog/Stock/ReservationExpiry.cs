using Marketplace.Catalog.Data;
using Marketplace.Contracts.Catalog;
using Marketplace.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Catalog.Stock;

public sealed class ReservationExpiryOptions
{
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(15);
}

/// <summary>
/// Returns the stock of reservations nobody confirmed in time. Every replica runs it; each expired
/// reservation is claimed by one of them (<c>SKIP LOCKED</c>).
/// </summary>
public sealed class ReservationExpiry(
    IServiceScopeFactory scopes,
    Microsoft.Extensions.Options.IOptions<ReservationExpiryOptions> options,
    TimeProvider clock,
    ILogger<ReservationExpiry> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await ExpireBatchAsync(stoppingToken) > 0)
                {
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is Npgsql.NpgsqlException or DbUpdateException or InvalidOperationException)
            {
                logger.LogWarning(ex, "Expiring stock reservations failed; retrying");
            }

            await Task.Delay(options.Value.Interval, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public async Task<int> ExpireBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        var ledger = scope.ServiceProvider.GetRequiredService<StockLedger>();
        var outbox = scope.ServiceProvider.GetRequiredService<IOutbox>();
        var now = clock.GetUtcNow();

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var due = await db.Database.SqlQuery<Guid>(
                $"SELECT order_id AS \"Value\" FROM catalog.stock_reservations WHERE status = 'Held' AND expires_at <= {now} ORDER BY expires_at LIMIT 100 FOR UPDATE SKIP LOCKED")
            .ToListAsync(cancellationToken);
        if (due.Count == 0)
        {
            return 0;
        }

        var reservations = await db.StockReservations.Include(r => r.Lines).Where(r => due.Contains(r.OrderId)).ToListAsync(cancellationToken);
        foreach (var reservation in reservations)
        {
            await ledger.ReturnHeldAsync(reservation.Lines, cancellationToken);
            reservation.Expire(now);
            outbox.Publish(new StockReservationExpired(reservation.OrderId), reservation.OrderId.ToString());
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return reservations.Count;
    }
}
