using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.ServiceDefaults.Messaging;

/// <summary>
/// A consumer whose effect is applied once per message id: the id is recorded in the inbox in the same
/// transaction as the effect (and any messages the effect publishes through the outbox). A redelivered
/// message finds its id there and changes nothing.
/// </summary>
public abstract class IdempotentConsumer<TMessage, TDbContext>(TDbContext db) : IConsumer<TMessage>
    where TMessage : class
    where TDbContext : DbContext
{
    protected TDbContext Db { get; } = db;

    /// <summary>The name the inbox records; stable across deployments, so do not derive it from a version.</summary>
    protected virtual string ConsumerName => GetType().Name;

    public async Task Consume(ConsumeContext<TMessage> context)
    {
        var messageId = context.MessageId
            ?? throw new InvalidOperationException($"A {typeof(TMessage).Name} arrived without a message id; it cannot be deduplicated.");
        var cancellationToken = context.CancellationToken;

        // A retry reuses this scope: start from a clean slate, not from the failed attempt's changes.
        Db.ChangeTracker.Clear();
        await BeforeTransactionAsync(context.Message, context, cancellationToken);
        Db.ChangeTracker.Clear();
        await using var transaction = await Db.Database.BeginTransactionAsync(cancellationToken);

        // The table name comes from the EF model, never from input.
        var insert = $"INSERT INTO {Db.InboxTableName()} (message_id, consumer, processed_at) VALUES ({{0}}, {{1}}, now()) ON CONFLICT DO NOTHING";
        var recorded = await Db.Database.ExecuteSqlRawAsync(
            insert,
            [messageId, ConsumerName],
            cancellationToken);
        if (recorded == 0)
        {
            // Already handled by an earlier delivery (a concurrent one waited on the row lock above).
            MessagingTelemetry.InboxDuplicates.Add(1, new KeyValuePair<string, object?>("messaging.consumer.name", ConsumerName));
            await transaction.RollbackAsync(cancellationToken);
            return;
        }

        await HandleAsync(context.Message, context, cancellationToken);
        await Db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Work that must not run inside the transaction: a call to another system, idempotent on its own (it may run
    /// again for a redelivered message). A transaction held open across a network call holds its row locks and its
    /// connection for as long as the call takes. Whatever it reads is read again, tracked, by <see cref="HandleAsync"/>.
    /// </summary>
    protected virtual Task BeforeTransactionAsync(TMessage message, ConsumeContext<TMessage> context, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    /// <summary>Applies the message's effect to <see cref="Db"/>; do not call SaveChanges.</summary>
    protected abstract Task HandleAsync(TMessage message, ConsumeContext<TMessage> context, CancellationToken cancellationToken);
}
