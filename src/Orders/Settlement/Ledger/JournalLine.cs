namespace Marketplace.Orders.Settlement.Ledger;

/// <summary>One account's movement in a <see cref="JournalEntry"/>.</summary>
public sealed class JournalLine(Guid entryId, Guid cooperativeId, string account, Guid? memberId, long amountRupiah, string kind, DateTimeOffset postedAt)
{
    public long Id { get; private set; }

    public Guid EntryId { get; private set; } = entryId;

    public Guid CooperativeId { get; private set; } = cooperativeId;

    public string Account { get; private set; } = account;

    public Guid? MemberId { get; private set; } = memberId;

    /// <summary>Debit positive, credit negative, whole rupiah.</summary>
    public long AmountRupiah { get; private set; } = amountRupiah;

    public string Kind { get; private set; } = kind;

    public DateTimeOffset PostedAt { get; private set; } = postedAt;
}
