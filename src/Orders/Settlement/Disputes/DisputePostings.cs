using Marketplace.Contracts.Orders;
using Marketplace.Orders.Settlement.Ledger;

namespace Marketplace.Orders.Settlement.Disputes;

/// <summary>
/// What a card dispute posts. Opened: Stripe took the amount and its fee out of the card money, and the members' shares of
/// the order are held (out of pending or available, so no payout batch can pay them; a share already paid out leaves her
/// available balance negative, netted against her next payout as after a refund). Won: the shares are owed again and what
/// Stripe gave back returns to the card money; a fee Stripe kept is the cooperative's cost. Lost: the order is reversed
/// as a refund would be (shares, the cooperative's fee, the shipping), and Stripe's fee is the cooperative's cost.
/// </summary>
public static class DisputePostings
{
    public const string Kind = "dispute";

    public static string OpenedSource(string disputeId) => $"dispute:{disputeId}:opened";

    public static string ClosedSource(string disputeId, bool won) => $"dispute:{disputeId}:{(won ? "won" : "lost")}";

    public static JournalEntry Opened(Guid cooperativeId, Guid orderId, string disputeId, long amountRupiah, long feeRupiah, DateTimeOffset at, IEnumerable<SaleLine> orderLines)
    {
        ArgumentNullException.ThrowIfNull(orderLines);
        var postings = new List<(string, Guid?, long)>();
        foreach (var line in orderLines)
        {
            var held = line.HoldForDispute();
            postings.Add((Owed(line), line.MemberId, held));
            postings.Add((Accounts.MemberDisputed, line.MemberId, -held));
        }

        postings.Add((Accounts.DisputesWithheld, null, amountRupiah + feeRupiah));
        postings.Add((Accounts.Received(SaleChannel.Card), null, -(amountRupiah + feeRupiah)));
        return JournalEntry.Post(cooperativeId, OpenedSource(disputeId), Kind, $"Dispute {disputeId} on order {orderId} opened", at, postings);
    }

    /// <param name="withheldRupiah">What the opening withdrew into <c>disputes:withheld</c>: the decision closes exactly that.</param>
    public static JournalEntry Won(OrderDisputeClosed closed, IEnumerable<SaleLine> orderLines, long withheldRupiah)
    {
        ArgumentNullException.ThrowIfNull(closed);
        ArgumentNullException.ThrowIfNull(orderLines);
        var postings = new List<(string, Guid?, long)>();
        AddReleases(postings, orderLines);
        var withheld = withheldRupiah;
        postings.Add((Accounts.Received(SaleChannel.Card), null, closed.ReturnedRupiah));
        postings.Add((Accounts.DisputeFees, null, withheld - closed.ReturnedRupiah));
        postings.Add((Accounts.DisputesWithheld, null, -withheld));
        return JournalEntry.Post(closed.CooperativeId, ClosedSource(closed.DisputeId, won: true), Kind, $"Dispute {closed.DisputeId} on order {closed.OrderId} won", closed.ClosedAt, postings);
    }

    /// <summary>
    /// Lost: each line not refunded before is reversed in full (the share from what was held, the fee back from the
    /// cooperative's income), the shipping from shipping income. Stripe's fee, and any difference between what Stripe took
    /// and what the order reverses (a dispute for part of the payment), is the cooperative's cost.
    /// </summary>
    public static JournalEntry Lost(OrderDisputeClosed closed, IReadOnlyDictionary<Guid, SaleLine> orderLines, long withheldRupiah)
    {
        ArgumentNullException.ThrowIfNull(closed);
        ArgumentNullException.ThrowIfNull(orderLines);
        var postings = new List<(string, Guid?, long)>();
        var reversed = closed.ShippingRupiah;
        foreach (var given in closed.Lines)
        {
            var line = orderLines[given.OrderLineId];
            var (split, held) = line.LoseDispute(given.Quantity, given.AmountRupiah);
            postings.Add((Accounts.MemberDisputed, line.MemberId, held));
            postings.Add((Owed(line), line.MemberId, split.ShareRupiah - held));
            postings.Add((Accounts.FeeIncome, null, split.FeeRupiah));
            reversed += given.AmountRupiah;
        }

        // A line held but not in the reversal (refunded meanwhile, its refund still on its way): its share is owed again.
        AddReleases(postings, orderLines.Values.Where(l => l.HeldForDisputeRupiah > 0));
        postings.Add((Accounts.ShippingIncome, null, closed.ShippingRupiah));
        var withheld = withheldRupiah;
        postings.Add((Accounts.DisputeFees, null, withheld - reversed));
        postings.Add((Accounts.DisputesWithheld, null, -withheld));
        return JournalEntry.Post(closed.CooperativeId, ClosedSource(closed.DisputeId, won: false), Kind, $"Dispute {closed.DisputeId} on order {closed.OrderId} lost", closed.ClosedAt, postings);
    }

    private static void AddReleases(List<(string, Guid?, long)> postings, IEnumerable<SaleLine> lines)
    {
        foreach (var line in lines.ToList())
        {
            var released = line.ReleaseDispute();
            postings.Add((Accounts.MemberDisputed, line.MemberId, released));
            postings.Add((Owed(line), line.MemberId, -released));
        }
    }

    /// <summary>Where a line's share is owed now: pending until it is released to her, then available.</summary>
    private static string Owed(SaleLine line) => line.ReleasedAt is null ? Accounts.MemberPending : Accounts.MemberAvailable;
}
