using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;

namespace Marketplace.ServiceDefaults.Messaging;

/// <summary>
/// Wakes this replica's dispatcher of one context's outbox as soon as a change with outbox messages commits, so
/// delivery does not wait for the next poll. Other replicas are woken through PostgreSQL (<see cref="OutboxNotifications"/>).
/// </summary>
public sealed class OutboxSignal : WakeSignal
{
    /// <summary>
    /// The payload of this replica's calls for help to the others: its own listener hears them too, and a dispatcher
    /// that has just found a backlog is already busy with it, so a wakeup would only make one of its loops claim again.
    /// </summary>
    public string CallForHelpPayload { get; } = Guid.NewGuid().ToString("N");
}

/// <summary>
/// One <see cref="OutboxSignal"/> per DbContext type with an outbox. A service may host a module with a context (and
/// outbox) of its own: a pulse consumes one waiting loop, so a shared signal could wake the other context's dispatcher,
/// which finds nothing, while this one's messages wait for its next poll.
/// </summary>
public sealed class OutboxSignals
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Type, OutboxSignal> _signals = new();

    public OutboxSignal For(Type dbContextType) => _signals.GetOrAdd(dbContextType, _ => new OutboxSignal());

    public OutboxSignal For<TDbContext>()
        where TDbContext : DbContext => For(typeof(TDbContext));
}

/// <summary>
/// Pulses the <see cref="OutboxSignal"/> when outbox rows become visible to the dispatcher: after a save that
/// added some, or after the commit of a transaction in which such a save happened. Only those: a pulse on every
/// commit would let the dispatcher's own (empty) claim transaction wake it again, a loop that never rests.
/// </summary>
internal sealed class OutboxSignalInterceptor(OutboxSignals signals) : DbTransactionInterceptor, ISaveChangesInterceptor
{
    private static readonly object Marker = new();

    // Saves that added outbox rows inside a transaction, and the signal of the context that saved them: the rows
    // become visible when it commits.
    private readonly ConditionalWeakTable<DbTransaction, OutboxSignal> _transactionsWithOutboxRows = [];

    // Whether the save under way adds outbox rows: known before saving, used after.
    private readonly ConditionalWeakTable<DbContext, object> _savesWithOutboxRows = [];

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        TransactionCommitted(transaction, eventData);
        return Task.CompletedTask;
    }

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData)
    {
        if (_transactionsWithOutboxRows.TryGetValue(transaction, out var signal))
        {
            _transactionsWithOutboxRows.Remove(transaction);
            signal.Pulse();
        }
    }

    public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) =>
        _transactionsWithOutboxRows.Remove(transaction);

    public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        TransactionRolledBack(transaction, eventData);
        return Task.CompletedTask;
    }

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        NoteOutboxRows(eventData.Context);
        return result;
    }

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        NoteOutboxRows(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Saved(eventData.Context);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void SaveChangesFailed(DbContextErrorEventData eventData) => Forget(eventData.Context);

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    private void NoteOutboxRows(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        // An added message is known as added without scanning every tracked entity for changes: saving does that once.
        var tracker = context.ChangeTracker;
        var detecting = tracker.AutoDetectChangesEnabled;
        tracker.AutoDetectChangesEnabled = false;
        try
        {
            if (tracker.Entries<OutboxMessage>().Any(e => e.State == EntityState.Added))
            {
                _savesWithOutboxRows.AddOrUpdate(context, Marker);
            }
        }
        finally
        {
            tracker.AutoDetectChangesEnabled = detecting;
        }
    }

    private void Saved(DbContext? context)
    {
        if (context is null || !_savesWithOutboxRows.Remove(context))
        {
            return;
        }

        var signal = signals.For(context.GetType());
        if (context.Database.CurrentTransaction?.GetDbTransaction() is { } transaction)
        {
            _transactionsWithOutboxRows.AddOrUpdate(transaction, signal);
        }
        else
        {
            signal.Pulse();
        }
    }

    private void Forget(DbContext? context)
    {
        if (context is not null)
        {
            _savesWithOutboxRows.Remove(context);
        }
    }
}
