using System.Diagnostics.Metrics;

namespace Marketplace.ServiceDefaults.Telemetry;

/// <summary>The meter of the marketplace's own business signals that alerts watch (webhooks, payouts).</summary>
public static class MarketplaceMeters
{
    public const string Name = "Marketplace";

    private static readonly Meter Meter = new(Name);

    /// <summary>
    /// Webhook deliveries the marketplace refused or failed (4xx or 5xx answered to Stripe or Meta), by
    /// <c>marketplace.webhook</c> (its path's last segment) and status: they retry, but a run of them means payments or
    /// delivery reports are not arriving.
    /// </summary>
    public static readonly Counter<long> WebhookFailures = Meter.CreateCounter<long>("marketplace.webhooks.failed", unit: "{request}",
        description: "Webhook deliveries answered with an error status.");
}
