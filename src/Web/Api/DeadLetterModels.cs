namespace Marketplace.Web.Api;

/// <summary>One message that failed in a service, as the Gateway keeps it (its stack trace is never read here).</summary>
public sealed record DeadLetterView(Guid Id, string MessageId, string? MessageType, string? ExceptionType, string? Error,
    DateTimeOffset FaultedAt, string Status, string? Reason, int Replays, DateTimeOffset? ActedAt);

public sealed record DeadLetterQueueView(string ErrorQueue, string InputQueue, int Waiting, IReadOnlyList<DeadLetterView> Messages);

public sealed record DeadLetterListView(int Waiting, IReadOnlyList<DeadLetterQueueView> Queues);

public sealed record ReplayedCount(int Replayed);
