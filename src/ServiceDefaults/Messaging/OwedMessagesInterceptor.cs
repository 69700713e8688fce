using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Marketplace.ServiceDefaults.Messaging;

/// <summary>Writes the messages tracked aggregates owe to the outbox as part of the save that stores their changes.</summary>
internal sealed class OwedMessagesInterceptor(TimeProvider clock) : SaveChangesInterceptor
{
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        WriteOwedMessages(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        WriteOwedMessages(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private void WriteOwedMessages(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        var tracker = context.ChangeTracker;
        var detecting = tracker.AutoDetectChangesEnabled;
        tracker.AutoDetectChangesEnabled = false;
        try
        {
            var owed = tracker.Entries<AggregateRoot>().SelectMany(e => e.Entity.TakeMessagesOwed()).ToList();
            foreach (var (message, orderingKey) in owed)
            {
                context.Set<OutboxMessage>().Add(OutboxMessageTypes.ToOutboxMessage(message, orderingKey, clock.GetUtcNow()));
            }
        }
        finally
        {
            tracker.AutoDetectChangesEnabled = detecting;
        }
    }
}
