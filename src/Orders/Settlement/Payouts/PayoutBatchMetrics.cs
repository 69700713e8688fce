using System.Diagnostics.Metrics;
using Marketplace.Orders.Settlement.Data;
using Marketplace.ServiceDefaults.Telemetry;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Orders.Settlement.Payouts;

/// <summary>
/// <c>marketplace.payouts.oldest_approved_age</c>: how long the oldest approved payout batch has waited for its lines to
/// be paid or failed (0 when none waits). Members are owed that money; an alert fires when a batch stays approved
/// for longer than a bank transfer takes. Read at most once per 60 s, only when metrics are collected.
/// </summary>
internal sealed class PayoutBatchMetrics(IMeterFactory meters, IServiceScopeFactory scopes, TimeProvider clock, ILogger<PayoutBatchMetrics> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var oldest = new PolledValue<double>(ReadAsync, 0, TimeSpan.FromSeconds(60), clock, logger);
        meters.Create(MarketplaceMeters.Name).CreateObservableGauge("marketplace.payouts.oldest_approved_age", () => oldest.Current,
            unit: "s", description: "How long the oldest approved payout batch has waited to be paid.");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task<double> ReadAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SettlementDbContext>();
        var approvedAt = await db.PayoutBatches.Where(b => b.Status == PayoutBatchStatus.Approved).MinAsync(b => b.ApprovedAt, cancellationToken);
        return approvedAt is { } at ? Math.Max(0, (clock.GetUtcNow() - at).TotalSeconds) : 0;
    }
}
