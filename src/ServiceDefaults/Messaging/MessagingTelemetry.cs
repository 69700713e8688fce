using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Marketplace.ServiceDefaults.Messaging;

/// <summary>Counters an operator watches: a growing outbox backlog or failures mean the broker is unreachable.</summary>
public static class MessagingTelemetry
{
    public const string MeterName = "Marketplace.Messaging";
    public const string ActivitySourceName = "Marketplace.Messaging";

    internal static readonly ActivitySource ActivitySource = new(ActivitySourceName);
    private static readonly Meter Meter = new(MeterName);

    internal static readonly Counter<long> OutboxDispatched = Meter.CreateCounter<long>("marketplace.outbox.dispatched", description: "Outbox messages delivered to the broker.");
    internal static readonly Counter<long> OutboxClaims = Meter.CreateCounter<long>("marketplace.outbox.claims", description: "Times a dispatcher looked for pending outbox messages.");
    internal static readonly Counter<long> OutboxFailed = Meter.CreateCounter<long>("marketplace.outbox.failed", description: "Outbox delivery attempts that failed and will be retried.");
    internal static readonly Counter<long> InboxDuplicates = Meter.CreateCounter<long>("marketplace.inbox.duplicates", description: "Redelivered messages recognised by the inbox and skipped.");
    internal static readonly Counter<long> Redeliveries = Meter.CreateCounter<long>("marketplace.consumer.redeliveries", description: "Messages scheduled for delayed redelivery after their retries failed.");
}
