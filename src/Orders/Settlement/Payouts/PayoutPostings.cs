using Marketplace.Orders.Settlement.Ledger;

namespace Marketplace.Orders.Settlement.Payouts;

/// <summary>What each step of a member's payout posts: reserved when the batch is prepared, then paid or failed.</summary>
public static class PayoutPostings
{
    public static string ReserveSource(Guid batchId, Guid memberId) => $"payout:{batchId}:{memberId}:reserve";

    /// <summary>Her available balance leaves: the savings due to her savings, the rest into the payout.</summary>
    public static JournalEntry Reserve(PayoutBatch batch, PayableBalance payable, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(payable);
        return JournalEntry.Post(batch.CooperativeId, ReserveSource(batch.Id, payable.MemberId), "payout", $"Payout batch {batch.Id} prepared", now,
            [
                (Accounts.MemberAvailable, payable.MemberId, payable.AvailableRupiah),
                (Accounts.MemberInPayout, payable.MemberId, -payable.NetRupiah),
                (Accounts.MemberSavings, payable.MemberId, -payable.SavingsRupiah),
            ]);
    }

    /// <summary>Paid: the money left the cooperative's bank. Failed: it goes back to her available balance.</summary>
    public static JournalEntry Settled(PayoutBatch batch, PayoutLine line, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(line);
        var member = line.MemberId;
        return line.Status switch
        {
            PayoutLineStatus.Paid => JournalEntry.Post(batch.CooperativeId, $"payout:{batch.Id}:{member}:paid", "payout", $"Payout {line.Reference}", now,
                [(Accounts.MemberInPayout, member, line.AmountRupiah), (Accounts.Bank, member, -line.AmountRupiah)]),
            PayoutLineStatus.Failed => JournalEntry.Post(batch.CooperativeId, $"payout:{batch.Id}:{member}:failed", "payout", $"Payout failed: {line.Reference}", now,
                [(Accounts.MemberInPayout, member, line.AmountRupiah), (Accounts.MemberAvailable, member, -line.AmountRupiah)]),
            _ => throw new InvalidOperationException($"Member {member}'s payout in batch {batch.Id} is not settled."),
        };
    }
}
