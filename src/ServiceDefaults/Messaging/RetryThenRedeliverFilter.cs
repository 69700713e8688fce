using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Marketplace.ServiceDefaults.Messaging;

public sealed class ConsumerRetryOptions
{
    private static readonly TimeSpan[] DefaultRetryIntervals =
        [TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(2)];

    private static readonly TimeSpan[] DefaultRedeliveryDelays =
        [TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10)];

    /// <summary>Quick retries in the consumer, for a deadlock or a dropped connection. Null: the defaults.</summary>
    /// <remarks>Null rather than a pre-filled list: the configuration binder appends to a list instead of replacing it.</remarks>
    public IList<TimeSpan>? RetryIntervals { get; set; }

    /// <summary>
    /// Then the message leaves the queue and comes back later, for an outage that lasts minutes.
    /// After the last one it goes to the endpoint's <c>_error</c> queue. Null: the defaults.
    /// </summary>
    public IList<TimeSpan>? RedeliveryDelays { get; set; }

    internal IReadOnlyList<TimeSpan> EffectiveRetryIntervals => RetryIntervals?.ToArray() ?? DefaultRetryIntervals;

    internal IReadOnlyList<TimeSpan> EffectiveRedeliveryDelays => RedeliveryDelays?.ToArray() ?? DefaultRedeliveryDelays;
}

/// <summary>
/// Retries a failing consumer a few times in place, then schedules a delayed redelivery through the
/// service's outbox (the broker here has no delayed-message plugin, and the outbox is durable and shared
/// by all replicas), and finally lets the message fault into the <c>_error</c> queue.
/// </summary>
public sealed class RetryThenRedeliverFilter<TMessage>(
    IRedeliveryScheduler scheduler,
    OrderedEndpointNames orderedEndpoints,
    IOptions<ConsumerRetryOptions> options,
    ILogger<RetryThenRedeliverFilter<TMessage>> logger) : IFilter<ConsumeContext<TMessage>>
    where TMessage : class
{
    private readonly IReadOnlyList<TimeSpan> _retryIntervals = options.Value.EffectiveRetryIntervals;
    private readonly IReadOnlyList<TimeSpan> _redeliveryDelays = options.Value.EffectiveRedeliveryDelays;

    public async Task Send(ConsumeContext<TMessage> context, IPipe<ConsumeContext<TMessage>> next)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await next.Send(context);
                return;
            }
            catch (Exception ex) when (attempt < _retryIntervals.Count && !context.CancellationToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Consuming {MessageType} {MessageId} failed; retry {Attempt}", typeof(TMessage).Name, context.MessageId, attempt + 1);
                await Task.Delay(_retryIntervals[attempt], context.CancellationToken);
            }
            catch (Exception ex) when (RedeliveryCount(context) < _redeliveryDelays.Count && context.MessageId is not null && !IsOrdered(context))
            {
                var count = RedeliveryCount(context);
                var delay = _redeliveryDelays[count];
                logger.LogWarning(ex, "Consuming {MessageType} {MessageId} failed after retries; redelivery {Count} in {Delay}",
                    typeof(TMessage).Name, context.MessageId, count + 1, delay);
                await scheduler.ScheduleAsync(context.Message, context.MessageId.Value, context.ReceiveContext.InputAddress, delay, count + 1, context.CancellationToken);
                MessagingTelemetry.Redeliveries.Add(1);
                return;
            }
        }
    }

    // A redelivery would put the message behind its successors on an ordered queue.
    private bool IsOrdered(ConsumeContext context) =>
        orderedEndpoints.Contains(context.ReceiveContext.InputAddress.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? string.Empty);

    public void Probe(ProbeContext context) => context.CreateFilterScope("retryThenRedeliver");

    private static int RedeliveryCount(ConsumeContext context) =>
        context.Headers.Get<int>(MessagingModelBuilderExtensions.RedeliveryCountHeader) ?? 0;
}
