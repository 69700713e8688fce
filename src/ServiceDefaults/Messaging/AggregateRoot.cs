namespace Marketplace.ServiceDefaults.Messaging;

/// <summary>
/// An aggregate whose state changes owe messages to other services (or to itself): each change records what it owes,
/// and the save that stores the change writes those messages to the outbox in the same transaction. A caller cannot
/// forget one, and cannot publish one for a change that was refused.
/// </summary>
public abstract class AggregateRoot
{
    // A field, not a property: EF Core maps properties, and these are never stored with the aggregate.
    private readonly List<OwedMessage> _owed = [];

    /// <summary>What the changes since the last save owe, in the order they were made.</summary>
    public IReadOnlyList<OwedMessage> MessagesOwed() => _owed;

    /// <param name="message">A contract record from Marketplace.Contracts.</param>
    /// <param name="orderingKey">Messages sharing this key (usually the aggregate's id) are delivered in the order owed.</param>
    protected void Owe<TMessage>(TMessage message, string? orderingKey)
        where TMessage : class
    {
        ArgumentNullException.ThrowIfNull(message);
        _owed.Add(new OwedMessage(message, orderingKey));
    }

    internal List<OwedMessage> TakeMessagesOwed()
    {
        var taken = _owed.ToList();
        _owed.Clear();
        return taken;
    }
}

public sealed record OwedMessage(object Message, string? OrderingKey);
