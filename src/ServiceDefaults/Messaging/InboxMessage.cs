namespace Marketplace.ServiceDefaults.Messaging;

/// <summary>
/// A message a consumer has already handled. Recorded in the same transaction as the consumer's effect,
/// so a redelivered message is recognised and changes nothing.
/// </summary>
public sealed class InboxMessage
{
    public Guid MessageId { get; init; }

    public string Consumer { get; init; } = string.Empty;

    public DateTimeOffset ProcessedAt { get; init; }
}
