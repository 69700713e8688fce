using Marketplace.ServiceDefaults.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Notifications.Digests;

public enum DigestKind
{
    /// <summary>A member's new lines to prepare; the subject is her member id.</summary>
    MemberLines,

    /// <summary>A cooperative's products waiting for review, to each of its admins; the subject is the cooperative.</summary>
    ProductsToReview,
}

public enum DigestStatus
{
    /// <summary>Gathering items until it is due.</summary>
    Open,

    /// <summary>Turned into its messages.</summary>
    Sent,

    /// <summary>Nobody to tell: its recipient was still unknown after the wait.</summary>
    Skipped,
}

/// <summary>One thing a digest tells: a line of an order (the order's id) or a product waiting for review (its id).</summary>
public sealed record DigestItem(Guid Reference, string Name, int Quantity);

/// <summary>
/// Several events told as one message: the first opens a digest for its subject, the ones that follow before it is due
/// join it, and when it falls due it becomes one message per recipient. Its id is the messages' source: unique per
/// (digest, recipient, template), so however many replicas look at it, each person gets it once. At most one digest
/// per subject and kind is open at a time (a unique index); <see cref="OpenDigests"/> opens them (an insert that joins
/// the one another event is opening at the same moment), so there is no factory here.
/// </summary>
public sealed class Digest
{
    private Digest()
    {
    }

    public Guid Id { get; private set; }

    public DigestKind Kind { get; private set; }

    /// <summary>The member, or the cooperative whose admins are told.</summary>
    public Guid SubjectId { get; private set; }

    public Guid CooperativeId { get; private set; }

    public List<DigestItem> Items { get; private set; } = [];

    public DigestStatus Status { get; private set; }

    public DateTimeOffset OpenedAt { get; private set; }

    /// <summary>When it is sent: the digest delay after it opened, or 06:00 when that falls in the quiet hours.</summary>
    public DateTimeOffset DueAt { get; private set; }

    /// <summary>When it first fell due with nobody known to tell; it waits a while for them, then is skipped.</summary>
    public DateTimeOffset? RecipientMissingSince { get; private set; }

    public DateTimeOffset? ClosedAt { get; private set; }

    public void Add(IEnumerable<DigestItem> items)
    {
        EnsureOpen();
        // A new list rather than the same one grown: the jsonb column is compared by content, and a fresh list keeps it plain.
        Items = [.. Items, .. items];
    }

    /// <summary>
    /// One order's items leave it (a walk-in sale: its goods were handed over at the counter, nothing to prepare). A digest
    /// left empty is closed unsent: there is nothing to tell.
    /// </summary>
    public void Withdraw(Guid reference, DateTimeOffset now)
    {
        EnsureOpen();
        Items = [.. Items.Where(i => i.Reference != reference)];
        if (Items.Count == 0)
        {
            Status = DigestStatus.Skipped;
            ClosedAt = now;
        }
    }

    public void Sent(DateTimeOffset now)
    {
        EnsureOpen();
        Status = DigestStatus.Sent;
        ClosedAt = now;
    }

    /// <summary>
    /// It fell due with nobody to tell: looked at again at <paramref name="recheckAt"/> while the wait lasts; false when
    /// the wait is over and it is skipped.
    /// </summary>
    public bool RecipientMissing(DateTimeOffset now, TimeSpan wait, DateTimeOffset recheckAt)
    {
        EnsureOpen();
        RecipientMissingSince ??= now;
        if (now - RecipientMissingSince.Value >= wait)
        {
            Status = DigestStatus.Skipped;
            ClosedAt = now;
            return false;
        }

        DueAt = recheckAt;
        return true;
    }

    private void EnsureOpen()
    {
        if (Status != DigestStatus.Open)
        {
            throw new InvalidOperationException($"Digest {Id} is {Status}, no longer open.");
        }
    }
}

internal sealed class DigestConfiguration : IEntityTypeConfiguration<Digest>
{
    public void Configure(EntityTypeBuilder<Digest> builder)
    {
        builder.ToTable("digests");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Id).ValueGeneratedNever();
        builder.Property(d => d.Kind).HasConversion<string>().HasMaxLength(20);
        builder.Property(d => d.Status).HasConversion<string>().HasMaxLength(10);
        builder.Property(d => d.Items).HasJsonConversion();
        // One open digest per subject: what arrives while it is open joins it.
        builder.HasIndex(d => new { d.Kind, d.SubjectId }).IsUnique().HasFilter("status = 'Open'").HasDatabaseName("ix_digests_open");
        // The dispatcher's look for due digests, at each of its wake-ups.
        builder.HasIndex(d => d.DueAt).HasFilter("status = 'Open'").HasDatabaseName("ix_digests_due");
    }
}
