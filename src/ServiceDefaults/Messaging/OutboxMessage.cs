namespace Marketplace.ServiceDefaults.Messaging;

/// <summary>
/// A message waiting in the service's own database to be published. It is written in the same
/// transaction as the state change it announces, so the two can never disagree.
/// </summary>
public sealed class OutboxMessage
{
    private OutboxMessage()
    {
    }

    public OutboxMessage(
        Guid messageId,
        string messageType,
        string body,
        string? orderingKey,
        DateTimeOffset createdAt,
        Uri? destinationAddress = null,
        DateTimeOffset? deliverAt = null,
        int redeliveryCount = 0,
        string? traceParent = null)
    {
        TraceParent = traceParent;
        DestinationAddress = destinationAddress?.ToString();
        RedeliveryCount = redeliveryCount;
        MessageId = messageId;
        MessageType = messageType;
        Body = body;
        OrderingKey = orderingKey;
        CreatedAt = createdAt;
        NextAttemptAt = deliverAt ?? createdAt;
    }

    /// <summary>Database sequence: the order in which messages are published.</summary>
    public long Sequence { get; private set; }

    public Guid MessageId { get; private set; }

    public string MessageType { get; private set; } = string.Empty;

    public string Body { get; private set; } = string.Empty;

    /// <summary>Messages with the same key (usually an aggregate id) are published one after another, in order.</summary>
    public string? OrderingKey { get; private set; }

    /// <summary>
    /// Set for a message sent to one queue (a delayed redelivery) rather than published to every subscriber.
    /// </summary>
    public string? DestinationAddress { get; private set; }

    /// <summary>How many times a consumer already gave up on this message; travels as a header.</summary>
    public int RedeliveryCount { get; private set; }

    /// <summary>
    /// The W3C <c>traceparent</c> of the request or message that wrote this row, so the publish that happens later on
    /// the dispatcher's own loop continues that trace: a checkout is one trace from the Gateway through the broker.
    /// </summary>
    public string? TraceParent { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset NextAttemptAt { get; private set; }

    public DateTimeOffset? DispatchedAt { get; private set; }

    public int Attempts { get; private set; }

    public string? LastError { get; private set; }
}
