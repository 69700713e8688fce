using System.Diagnostics.Metrics;
using Marketplace.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Marketplace.ServiceDefaults.Telemetry;

/// <summary>How far behind one context's outbox is: its pending messages and how long the oldest has waited.</summary>
public sealed record OutboxBacklog(long Pending, double OldestPendingAgeSeconds);

/// <summary>One outbox (a service's, or a module's such as Settlement's) whose backlog the gauges report.</summary>
public interface IOutboxBacklogSource
{
    /// <summary>The outbox's schema: the <c>marketplace.outbox</c> tag of its measurements.</summary>
    string Name { get; }

    PolledValue<OutboxBacklog> Backlog { get; }
}

internal sealed class OutboxBacklogSource<TDbContext> : IOutboxBacklogSource
    where TDbContext : DbContext
{
    public OutboxBacklogSource(IServiceScopeFactory scopes, TimeProvider clock, ILogger<OutboxBacklogSource<TDbContext>> logger)
    {
        using (var scope = scopes.CreateScope())
        {
            Name = scope.ServiceProvider.GetRequiredService<TDbContext>().OutboxSchema();
        }

        Backlog = new PolledValue<OutboxBacklog>(ct => ReadAsync(scopes, ct), new OutboxBacklog(0, 0), OutboxBacklogMetrics.PollInterval, clock, logger);
    }

    public string Name { get; }

    public PolledValue<OutboxBacklog> Backlog { get; }

    private static async Task<OutboxBacklog> ReadAsync(IServiceScopeFactory scopes, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        // Both answered from the partial indexes on pending rows, however large the delivered history: the count from
        // either, the oldest from ix_outbox_pending_in_order, whose filter the query repeats so that it may use it (it
        // reads the first entry, not every pending row). A delayed redelivery waits on purpose: not counted as late.
        var count = await db.Set<OutboxMessage>().LongCountAsync(m => m.DispatchedAt == null, cancellationToken);
        var oldestQuery = $"""
            SELECT created_at AS "Value" FROM {db.OutboxTableName()}
            WHERE {MessagingModelBuilderExtensions.PendingInOrderFilter} AND redelivery_count = 0
            ORDER BY sequence LIMIT 1
            """;
        var oldest = (await db.Database.SqlQueryRaw<DateTimeOffset>(oldestQuery).ToListAsync(cancellationToken)).Cast<DateTimeOffset?>().FirstOrDefault();
        var age = oldest is { } createdAt ? Math.Max(0, (DateTimeOffset.UtcNow - createdAt).TotalSeconds) : 0;
        return new OutboxBacklog(count, age);
    }
}

/// <summary>
/// The gauges an alert on a stuck outbox needs (<c>marketplace.outbox.pending</c>,
/// <c>marketplace.outbox.oldest_pending_age</c>), one measurement per outbox of the service. Created when the host
/// starts; each outbox is read at most once per <see cref="PollInterval"/>.
/// </summary>
internal sealed class OutboxBacklogMetrics(IMeterFactory meters, IEnumerable<IOutboxBacklogSource> sources) : IHostedService
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(30);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var meter = meters.Create(MessagingTelemetry.MeterName);
        var outboxes = sources.ToArray();
        meter.CreateObservableGauge("marketplace.outbox.pending",
            () => outboxes.Select(o => new Measurement<long>(o.Backlog.Current.Pending, new KeyValuePair<string, object?>("marketplace.outbox", o.Name))),
            unit: "{message}", description: "Outbox messages not yet confirmed by the broker.");
        meter.CreateObservableGauge("marketplace.outbox.oldest_pending_age",
            () => outboxes.Select(o => new Measurement<double>(o.Backlog.Current.OldestPendingAgeSeconds, new KeyValuePair<string, object?>("marketplace.outbox", o.Name))),
            unit: "s", description: "How long the oldest outbox message not yet confirmed by the broker has waited.");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
