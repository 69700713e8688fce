using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.ServiceDefaults.Messaging;

/// <summary>Sends a message back to a queue later, keeping its message id so inboxes still recognise it.</summary>
public interface IRedeliveryScheduler
{
    Task ScheduleAsync<TMessage>(TMessage message, Guid messageId, Uri destination, TimeSpan delay, int redeliveryCount, CancellationToken cancellationToken)
        where TMessage : class;
}

internal sealed class OutboxRedeliveryScheduler<TDbContext>(IServiceScopeFactory scopes, TimeProvider clock) : IRedeliveryScheduler
    where TDbContext : DbContext
{
    public async Task ScheduleAsync<TMessage>(TMessage message, Guid messageId, Uri destination, TimeSpan delay, int redeliveryCount, CancellationToken cancellationToken)
        where TMessage : class
    {
        // A scope of its own: the consumer's DbContext holds the failed attempt's changes.
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        var now = clock.GetUtcNow();
        var type = message.GetType();
        db.Set<OutboxMessage>().Add(new OutboxMessage(
            messageId,
            OutboxMessageTypes.NameOf(type),
            System.Text.Json.JsonSerializer.Serialize(message, type, OutboxMessageTypes.SerializerOptions),
            orderingKey: null,
            createdAt: now,
            destinationAddress: destination,
            deliverAt: now + delay,
            redeliveryCount: redeliveryCount,
            traceParent: OutboxMessageTypes.CurrentTraceParent()));
        await db.SaveChangesAsync(cancellationToken);
    }
}
