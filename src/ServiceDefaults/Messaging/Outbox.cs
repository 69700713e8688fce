using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.ServiceDefaults.Messaging;

internal sealed class Outbox<TDbContext>(TDbContext db, TimeProvider clock) : IOutbox
    where TDbContext : DbContext
{
    public Guid Publish<TMessage>(TMessage message, string? orderingKey = null)
        where TMessage : class
    {
        ArgumentNullException.ThrowIfNull(message);
        var messageId = NewId.NextSequentialGuid();
        var type = message.GetType();
        db.Set<OutboxMessage>().Add(new OutboxMessage(
            messageId,
            OutboxMessageTypes.NameOf(type),
            JsonSerializer.Serialize(message, type, OutboxMessageTypes.SerializerOptions),
            orderingKey,
            clock.GetUtcNow()));
        return messageId;
    }
}

/// <summary>How an outbox row names its message type, and turns it back into a type.</summary>
internal static class OutboxMessageTypes
{
    public static readonly JsonSerializerOptions SerializerOptions = new(JsonSerializerDefaults.Web);

    public static string NameOf(Type type) => $"{type.FullName}, {type.Assembly.GetName().Name}";

    public static Type Resolve(string name) =>
        Type.GetType(name, throwOnError: false)
        ?? throw new InvalidOperationException($"Outbox message type '{name}' is not known to this service.");
}
