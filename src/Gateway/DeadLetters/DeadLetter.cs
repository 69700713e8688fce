using Marketplace.ServiceDefaults.Errors;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Gateway.DeadLetters;

public enum DeadLetterStatus
{
    Waiting,
    Replayed,
    Discarded,
}

/// <summary>
/// A message that faulted into an <c>_error</c> queue, moved here so the platform admin can see it and, after a fix,
/// send it back to its consumer, or discard it with a reason. Its body and headers are kept as they were, so a
/// replay is the same message (same id) and the consumer's inbox recognises it if it ever took effect.
/// </summary>
public sealed class DeadLetter
{
    private DeadLetter()
    {
    }

    public Guid Id { get; private set; }

    public string ErrorQueue { get; private set; } = string.Empty;

    /// <summary>The queue whose consumer failed; a replay goes to the exchange of the same name, bound to it.</summary>
    public string InputQueue { get; private set; } = string.Empty;

    public string MessageId { get; private set; } = string.Empty;

    /// <summary>MassTransit's message type urn (<c>urn:message:Namespace:Type</c>), when the envelope names one.</summary>
    public string? MessageType { get; private set; }

    public string? ExceptionType { get; private set; }

    public string? FaultMessage { get; private set; }

    /// <summary>The first lines of the stack, for the developer reading the API; never shown on the admin's page.</summary>
    public string? StackTrace { get; private set; }

    public DateTimeOffset FaultedAt { get; private set; }

    public DateTimeOffset ReceivedAt { get; private set; }

    public byte[] Body { get; private set; } = [];

    public string? ContentType { get; private set; }

    /// <summary>The AMQP headers to republish with (JSON object), the fault's own left out.</summary>
    public string Headers { get; private set; } = "{}";

    public DeadLetterStatus Status { get; private set; }

    public string? Reason { get; private set; }

    public Guid? ActedBy { get; private set; }

    public DateTimeOffset? ActedAt { get; private set; }

    public int Replays { get; private set; }

    /// <summary>A replay after a fix; replaying again is allowed (the consumer's inbox makes it take effect once).</summary>
    public void MarkReplayed(Guid by, DateTimeOffset at)
    {
        if (Status == DeadLetterStatus.Discarded)
        {
            throw new ConflictException("A discarded message cannot be sent again.", "dead_letter_discarded");
        }

        Status = DeadLetterStatus.Replayed;
        ActedBy = by;
        ActedAt = at;
        Replays++;
    }

    public void Discard(Guid by, DateTimeOffset at, string reason)
    {
        if (Status != DeadLetterStatus.Waiting)
        {
            throw new ConflictException("Only a waiting message can be discarded.", "dead_letter_not_waiting");
        }

        Status = DeadLetterStatus.Discarded;
        Reason = reason;
        ActedBy = by;
        ActedAt = at;
    }
}

internal sealed class DeadLetterConfiguration : IEntityTypeConfiguration<DeadLetter>
{
    public void Configure(EntityTypeBuilder<DeadLetter> builder)
    {
        builder.ToTable("dead_letters");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.ErrorQueue).HasMaxLength(255);
        builder.Property(d => d.InputQueue).HasMaxLength(255);
        builder.Property(d => d.MessageId).HasMaxLength(200);
        builder.Property(d => d.MessageType).HasMaxLength(500);
        builder.Property(d => d.ExceptionType).HasMaxLength(500);
        builder.Property(d => d.ContentType).HasMaxLength(200);
        builder.Property(d => d.Headers).HasColumnType("jsonb");
        builder.Property(d => d.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(d => d.Reason).HasMaxLength(500);

        // The intake inserts, then acknowledges: a crash between the two brings the message back, and this key
        // makes the second insert do nothing.
        builder.HasIndex(d => new { d.ErrorQueue, d.MessageId, d.FaultedAt }).IsUnique();
        builder.HasIndex(d => new { d.Status, d.ErrorQueue });
    }
}
