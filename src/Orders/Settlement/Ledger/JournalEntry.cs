namespace Marketplace.Orders.Settlement.Ledger;

/// <summary>
/// One posting: immutable, balanced (debits are positive amounts, credits negative, and they sum to zero), and
/// posted once per source (an order's sale, a fulfilment, a refund, a payout step): the source is unique.
/// </summary>
public sealed class JournalEntry
{
    private JournalEntry()
    {
    }

    public Guid Id { get; private set; }

    public Guid CooperativeId { get; private set; }

    /// <summary>What caused it, e.g. <c>sale:{orderId}</c>; unique.</summary>
    public string Source { get; private set; } = string.Empty;

    /// <summary><c>sale</c>, <c>fulfilment</c>, <c>refund</c> or <c>payout</c>.</summary>
    public string Kind { get; private set; } = string.Empty;

    public string Memo { get; private set; } = string.Empty;

    public DateTimeOffset PostedAt { get; private set; }

    public List<JournalLine> Lines { get; private set; } = [];

    public static JournalEntry Post(Guid cooperativeId, string source, string kind, string memo, DateTimeOffset at, IEnumerable<(string Account, Guid? MemberId, long Amount)> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var entry = new JournalEntry { Id = Guid.CreateVersion7(), CooperativeId = cooperativeId, Source = source, Kind = kind, Memo = memo, PostedAt = at };
        entry.Lines = lines.Where(l => l.Amount != 0)
            .Select(l => new JournalLine(entry.Id, cooperativeId, l.Account, l.MemberId, l.Amount, kind, at))
            .ToList();
        if (entry.Lines.Sum(l => l.AmountRupiah) != 0)
        {
            throw new InvalidOperationException($"Entry {source} does not balance: {entry.Lines.Sum(l => l.AmountRupiah)}.");
        }

        return entry;
    }
}
