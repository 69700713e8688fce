using MassTransit;
using Marketplace.Contracts.Orders;
using Marketplace.Orders.Settlement.Data;
using Marketplace.Orders.Settlement.Ledger;
using Marketplace.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Orders.Settlement.Tills;

/// <summary>
/// What the kiosk's tills post. The cash in hand is <c>received:cash</c>, where cash sales arrive and cash refunds
/// leave: cash paid in or out moves it against <c>till:paid-in</c> / <c>till:paid-out</c>, and a closing's difference
/// against <c>till:difference</c>.
/// </summary>
public static class TillPostings
{
    public static string CashMovedSource(Guid movementId) => $"till-cash:{movementId}";

    public static string DifferenceSource(Guid tillSessionId, int revision) => $"till:{tillSessionId}:{revision}";

    public static JournalEntry CashMoved(TillCashMoved moved)
    {
        ArgumentNullException.ThrowIfNull(moved);
        var cash = Accounts.Received(SaleChannel.Cash);
        (string, Guid?, long)[] postings = moved.AmountRupiah >= 0
            ? [(cash, null, moved.AmountRupiah), (Accounts.TillPaidIn, null, -moved.AmountRupiah)]
            : [(Accounts.TillPaidOut, null, -moved.AmountRupiah), (cash, null, moved.AmountRupiah)];
        return JournalEntry.Post(moved.CooperativeId, CashMovedSource(moved.MovementId), "till",
            Memo($"Till cash {(moved.AmountRupiah >= 0 ? "in" : "out")}: {moved.Reason}"), moved.At, postings);
    }

    /// <summary>
    /// The change of a session's difference since what was last posted for it (<paramref name="alreadyPosted"/>): a
    /// shortfall (negative) takes cash in hand down and is a debit of <c>till:difference</c>. Null when nothing changed.
    /// </summary>
    public static JournalEntry? Difference(TillDifferenceRecorded recorded, long alreadyPosted)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        var change = recorded.DifferenceRupiah - alreadyPosted;
        if (change == 0)
        {
            return null;
        }

        return JournalEntry.Post(recorded.CooperativeId, DifferenceSource(recorded.TillSessionId, recorded.Revision), "till",
            Memo($"Till session {recorded.TillSessionId} difference (revision {recorded.Revision}){(recorded.Note is null ? string.Empty : ": " + recorded.Note)}"),
            recorded.At, [(Accounts.Received(SaleChannel.Cash), null, change), (Accounts.TillDifference, null, -change)]);
    }

    private static string Memo(string text) => text.Length > 300 ? text[..300] : text;
}

/// <summary>The difference last posted for a till session, and its revision: a later revision posts only the change, an older one nothing.</summary>
public sealed class TillDifferencePosted
{
    private TillDifferencePosted()
    {
    }

    public Guid TillSessionId { get; private set; }

    public Guid CooperativeId { get; private set; }

    public int Revision { get; private set; }

    public long DifferenceRupiah { get; private set; }

    /// <summary>Two revisions handled at once cannot both post against the same old difference.</summary>
    public uint Version { get; private set; }

    public static TillDifferencePosted First(TillDifferenceRecorded recorded)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        return new TillDifferencePosted
        {
            TillSessionId = recorded.TillSessionId, CooperativeId = recorded.CooperativeId, Revision = recorded.Revision, DifferenceRupiah = recorded.DifferenceRupiah,
        };
    }

    public void Advance(TillDifferenceRecorded recorded)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        Revision = recorded.Revision;
        DifferenceRupiah = recorded.DifferenceRupiah;
    }
}

internal sealed class TillDifferencePostedConfiguration : IEntityTypeConfiguration<TillDifferencePosted>
{
    public void Configure(EntityTypeBuilder<TillDifferencePosted> builder)
    {
        builder.ToTable("till_differences");
        builder.HasKey(t => t.TillSessionId);
        builder.Property(t => t.TillSessionId).ValueGeneratedNever();
        builder.Property(t => t.Version).IsRowVersion();
    }
}

/// <summary>Books cash paid into or out of a till, once.</summary>
public sealed class TillCashMovedPosting(SettlementDbContext db) : IdempotentConsumer<TillCashMoved, SettlementDbContext>(db)
{
    protected override async Task HandleAsync(TillCashMoved message, ConsumeContext<TillCashMoved> context, CancellationToken cancellationToken)
    {
        var source = TillPostings.CashMovedSource(message.MovementId);
        if (!await Db.JournalEntries.AnyAsync(e => e.Source == source, cancellationToken))
        {
            Db.JournalEntries.Add(TillPostings.CashMoved(message));
        }
    }
}

/// <summary>
/// Books a till session's difference as it now stands: only the change since the revision last posted, so a late sale
/// that raised the cash expected never counts the same cash twice. An older revision arriving late changes nothing.
/// </summary>
public sealed class TillDifferencePosting(SettlementDbContext db) : IdempotentConsumer<TillDifferenceRecorded, SettlementDbContext>(db)
{
    protected override async Task HandleAsync(TillDifferenceRecorded message, ConsumeContext<TillDifferenceRecorded> context, CancellationToken cancellationToken)
    {
        var posted = await Db.TillDifferences.FirstOrDefaultAsync(t => t.TillSessionId == message.TillSessionId, cancellationToken);
        if (posted is not null && message.Revision <= posted.Revision)
        {
            return;
        }

        var entry = TillPostings.Difference(message, posted?.DifferenceRupiah ?? 0);
        if (posted is null)
        {
            // Two first revisions at once meet at the primary key; the loser is retried and posts only its change.
            Db.TillDifferences.Add(TillDifferencePosted.First(message));
        }
        else
        {
            posted.Advance(message);
        }

        if (entry is not null)
        {
            Db.JournalEntries.Add(entry);
        }
    }
}
