using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
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
        var row = OutboxMessageTypes.ToOutboxMessage(message, orderingKey, clock.GetUtcNow());
        db.Set<OutboxMessage>().Add(row);
        return row.MessageId;
    }
}

/// <summary>How an outbox row names its message type, and turns it back into a type.</summary>
internal static class OutboxMessageTypes
{
    // Enums travel by name: a stored message still reads right after an enum gains a member.
    public static readonly JsonSerializerOptions SerializerOptions = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static OutboxMessage ToOutboxMessage(object message, string? orderingKey, DateTimeOffset now)
    {
        var type = message.GetType();
        return new OutboxMessage(NewId.NextSequentialGuid(), NameOf(type), JsonSerializer.Serialize(message, type, SerializerOptions), orderingKey, now,
            traceParent: CurrentTraceParent());
    }

    /// <summary>The current span as a W3C traceparent, or null outside a recorded trace (nothing to continue).</summary>
    public static string? CurrentTraceParent() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C, Recorded: true } activity ? activity.Id : null;

    // Both directions are looked up for every message written and delivered, and a service has a few dozen message
    // types: naming one reads its assembly's name, and resolving one parses the name and searches the assemblies.
    private static readonly ConcurrentDictionary<Type, string> Names = new();
    private static readonly ConcurrentDictionary<string, Type> Types = new(StringComparer.Ordinal);

    public static string NameOf(Type type) => Names.GetOrAdd(type, static t => $"{t.FullName}, {t.Assembly.GetName().Name}");

    // A name no type answers to throws and is not remembered.
    public static Type Resolve(string name) => Types.GetOrAdd(name, static n =>
        Type.GetType(n, throwOnError: false)
        ?? throw new InvalidOperationException($"Outbox message type '{n}' is not known to this service."));
}
