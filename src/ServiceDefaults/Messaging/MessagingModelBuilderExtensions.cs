using Microsoft.EntityFrameworkCore;

namespace Marketplace.ServiceDefaults.Messaging;

public static class MessagingModelBuilderExtensions
{
    public const string OutboxTable = "outbox_messages";
    public const string InboxTable = "inbox_messages";

    /// <summary>The filter of <c>ix_outbox_pending_in_order</c>: a query that walks pending messages in order repeats it.</summary>
    public const string PendingInOrderFilter = "dispatched_at IS NULL AND next_attempt_at IS NOT NULL";

    /// <summary>How many times consumers already gave up on a message; set on delayed redeliveries.</summary>
    public const string RedeliveryCountHeader = "Marketplace-Redelivery-Count";

    /// <summary>Adds the outbox and inbox tables to a service's model, in its default schema.</summary>
    public static ModelBuilder AddOutboxAndInbox(this ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<OutboxMessage>(b =>
        {
            b.ToTable(OutboxTable);
            b.HasKey(m => m.Sequence);
            b.Property(m => m.Sequence).HasColumnName("sequence").UseIdentityAlwaysColumn();
            b.Property(m => m.MessageId).HasColumnName("message_id");
            b.Property(m => m.MessageType).HasColumnName("message_type").HasMaxLength(500);
            b.Property(m => m.Body).HasColumnName("body").HasColumnType("jsonb");
            b.Property(m => m.OrderingKey).HasColumnName("ordering_key").HasMaxLength(200);
            b.Property(m => m.DestinationAddress).HasColumnName("destination_address").HasMaxLength(500);
            b.Property(m => m.RedeliveryCount).HasColumnName("redelivery_count");
            b.Property(m => m.CreatedAt).HasColumnName("created_at");
            b.Property(m => m.NextAttemptAt).HasColumnName("next_attempt_at");
            b.Property(m => m.DispatchedAt).HasColumnName("dispatched_at");
            b.Property(m => m.Attempts).HasColumnName("attempts");
            b.Property(m => m.LastError).HasColumnName("last_error").HasMaxLength(2000);
            b.Property(m => m.TraceParent).HasColumnName("trace_parent").HasMaxLength(100);
            // Not unique: a delayed redelivery is a second row that keeps the original message id.
            b.HasIndex(m => m.MessageId);
            // The dispatcher only ever looks at what is still pending, through two indexes and no more: each is one
            // more write for every message.
            // The claim walks pending rows in publishing order and stops at a batch: without this index it sorted
            // every pending row first, and a backlog after an outage made each claim slower than the last.
            // "next_attempt_at IS NOT NULL" holds for every row (the column is NOT NULL); it is in the filter so that
            // only a query that says it (the claim does, through "next_attempt_at <= now()") can use this index. The
            // claim's lookup of a key's oldest pending message says only "dispatched_at IS NULL", and with statistics
            // taken while nothing was pending the planner found walking this index in order, reading each row's key,
            // as cheap as ix_outbox_pending_by_key: with a backlog, every claim read the backlog once per message claimed.
            b.HasIndex(m => m.Sequence)
                .HasDatabaseName("ix_outbox_pending_in_order")
                .HasFilter(PendingInOrderFilter);
            b.HasIndex(m => new { m.OrderingKey, m.Sequence })
                .HasDatabaseName("ix_outbox_pending_by_key")
                .HasFilter("dispatched_at IS NULL");
        });

        return modelBuilder.AddInbox();
    }

    /// <summary>
    /// Adds only the inbox table, for a module that consumes messages (idempotently) but publishes none, so has no
    /// outbox to dispatch.
    /// </summary>
    public static ModelBuilder AddInbox(this ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.Entity<InboxMessage>(b =>
        {
            b.ToTable(InboxTable);
            b.HasKey(m => new { m.MessageId, m.Consumer });
            b.Property(m => m.MessageId).HasColumnName("message_id");
            b.Property(m => m.Consumer).HasColumnName("consumer").HasMaxLength(200);
            b.Property(m => m.ProcessedAt).HasColumnName("processed_at");
        });
        return modelBuilder;
    }

    // Table names come from the EF model, never from input, so composing them into SQL is safe.
    internal static string OutboxTableName(this DbContext db) => QualifiedName(db, typeof(OutboxMessage));

    internal static string InboxTableName(this DbContext db) => QualifiedName(db, typeof(InboxMessage));

    internal static string OutboxSchema(this DbContext db) =>
        db.Model.FindEntityType(typeof(OutboxMessage))?.GetSchema() ?? "public";

    private static string QualifiedName(DbContext db, Type entity)
    {
        var type = db.Model.FindEntityType(entity)
            ?? throw new InvalidOperationException($"{db.GetType().Name} has no {entity.Name}: call modelBuilder.AddOutboxAndInbox().");
        var schema = type.GetSchema();
        return schema is null ? $"\"{type.GetTableName()}\"" : $"\"{schema}\".\"{type.GetTableName()}\"";
    }
}
