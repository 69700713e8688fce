using Marketplace.Orders.Settlement.Data;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Orders.Settlement.Ledger;

/// <summary>
/// Makes held shares available when their holding period ends, one entry per line (source
/// <c>release:{orderLineId}</c>, so two replicas releasing the same line post it once: the second fails on the unique
/// source and its transaction changes nothing).
/// </summary>
public sealed partial class HeldEarningsRelease(IServiceScopeFactory scopes, TimeProvider clock, ILogger<HeldEarningsRelease> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1), clock);
        do
        {
            try
            {
                await ReleaseDueAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task<int> ReleaseDueAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SettlementDbContext>();
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var due = await db.SaleLines
            .FromSql($"SELECT *, xmin FROM settlement.sale_lines WHERE released_at IS NULL AND available_from <= {now} ORDER BY available_from LIMIT 200 FOR UPDATE SKIP LOCKED")
            .ToListAsync(cancellationToken);
        foreach (var line in due)
        {
            db.JournalEntries.Add(SalePostings.Release(line, now));
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return due.Count;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Releasing held earnings failed; trying again in a minute")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
