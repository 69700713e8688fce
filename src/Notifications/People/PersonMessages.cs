using Marketplace.Notifications.Deliveries;

namespace Marketplace.Notifications.People;

/// <summary>Messages to a known person: in her language, on her channel, under <c>account:{id}</c> in the log.</summary>
public static class PersonMessages
{
    /// <summary>The message, or none when she has no address at all.</summary>
    public static Notification? Message(
        this Person person, Guid sourceMessageId, Guid? cooperativeId, string template, IReadOnlyList<string> parameters, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(person);
        return person.Reach() is { } reach
            ? Notification.Create(sourceMessageId, $"account:{person.UserId}", cooperativeId, template, person.Language, reach.Channel, reach.Address, parameters, now)
            : null;
    }
}
