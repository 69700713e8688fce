using Marketplace.Contracts.Orders;

namespace Marketplace.Orders.Settlement.Ledger;

/// <summary>
/// What each event of a sale's life posts to the books. The consumers load and save; these decide the amounts and
/// accounts, and every entry they build balances (<see cref="JournalEntry.Post"/> checks it).
/// </summary>
public static class SalePostings
{
    public static string SaleSource(Guid orderId) => $"sale:{orderId}";

    public static string FulfilmentSource(Guid orderId) => $"fulfilment:{orderId}";

    public static string RefundSource(Guid refundId) => $"refund:{refundId}";

    public static string ReleaseSource(Guid orderLineId) => $"release:{orderLineId}";

    /// <summary>The entry of a payment's fees learnt after its sale was booked without them.</summary>
    public static string PaymentFeeSource(Guid orderId) => $"payment-fee:{orderId}";

    /// <summary>
    /// Fees Stripe kept of a payment whose sale was booked without them: the cooperative's cost, out of the money received
    /// through that channel, as <see cref="Sale"/> would have posted them. Null when there is nothing to post.
    /// </summary>
    public static JournalEntry? LateFees(OrderPaymentFeesKnown known)
    {
        ArgumentNullException.ThrowIfNull(known);
        var received = Accounts.Received(known.Channel == PaymentChannel.Ewallet ? SaleChannel.Ewallet : SaleChannel.Card);
        var postings = new List<(string, Guid?, long)>();
        AddPaymentFee(postings, Accounts.StripeFees, received, known.StripeFeeRupiah);
        AddPaymentFee(postings, Accounts.ApplicationFees, received, known.ApplicationFeeRupiah);
        return postings.Count == 0 ? null
            : JournalEntry.Post(known.CooperativeId, PaymentFeeSource(known.OrderId), "payment-fee", $"Stripe's fees on order {known.OrderId}, known after its sale", known.KnownAt, postings);
    }

    /// <summary>
    /// A sale: the whole payment to money received (by channel), each line's fee to the cooperative's income and the
    /// rest to its member as pending (payable once the line reaches the shopper), the shipping to the cooperative. What
    /// Stripe kept of a card payment (its fee, the application fee) leaves the money received as the cooperative's cost:
    /// the members' shares are of the price, never of the fee.
    /// </summary>
    public static (IReadOnlyList<SaleLine> Lines, JournalEntry Entry) Sale(OrderPaid paid)
    {
        ArgumentNullException.ThrowIfNull(paid);
        var channel = SaleChannels.Of(paid);
        var lines = paid.Lines.Select(l => SaleLine.Sell(l, paid.OrderId, paid.CooperativeId, channel, paid.PaidAt)).ToList();
        var postings = new List<(string, Guid?, long)> { (Accounts.Received(channel), null, paid.TotalRupiah) };
        postings.AddRange(lines.Select(l => (Accounts.MemberPending, (Guid?)l.MemberId, -l.ShareRupiah)));
        postings.Add((Accounts.FeeIncome, null, -lines.Sum(l => l.FeeRupiah)));
        postings.Add((Accounts.ShippingIncome, null, -paid.ShippingRupiah));
        AddPaymentFee(postings, Accounts.StripeFees, Accounts.Received(channel), paid.StripeFeeRupiah);
        AddPaymentFee(postings, Accounts.ApplicationFees, Accounts.Received(channel), paid.ApplicationFeeRupiah);
        return (lines, JournalEntry.Post(paid.CooperativeId, SaleSource(paid.OrderId), "sale", $"Order {paid.OrderId} paid ({channel})", paid.PaidAt, postings));
    }

    /// <summary>
    /// Lines reached the shopper: without a holding period their open shares move from pending to available now;
    /// with one, they wait for <see cref="Release"/>. Lines fulfilled before post nothing again.
    /// </summary>
    public static JournalEntry Fulfilment(OrderLinesFulfilled fulfilled, IEnumerable<SaleLine> sold, TimeSpan holding)
    {
        ArgumentNullException.ThrowIfNull(fulfilled);
        ArgumentNullException.ThrowIfNull(sold);
        var postings = new List<(string, Guid?, long)>();
        foreach (var line in sold.Where(l => l.Fulfil(fulfilled.At, holding)))
        {
            if (holding > TimeSpan.Zero)
            {
                continue;
            }

            line.Release(fulfilled.At);
            postings.Add((Accounts.MemberPending, line.MemberId, line.OpenShareRupiah));
            postings.Add((Accounts.MemberAvailable, line.MemberId, -line.OpenShareRupiah));
        }

        return JournalEntry.Post(fulfilled.CooperativeId, FulfilmentSource(fulfilled.OrderId), "fulfilment", $"Order {fulfilled.OrderId} {fulfilled.How}", fulfilled.At, postings);
    }

    /// <summary>A held line's holding period ended: its open share becomes available.</summary>
    public static JournalEntry Release(SaleLine line, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(line);
        line.Release(now);
        return JournalEntry.Post(line.CooperativeId, ReleaseSource(line.OrderLineId), "fulfilment", $"Order {line.OrderId} held period ended", now,
            [(Accounts.MemberPending, line.MemberId, line.OpenShareRupiah), (Accounts.MemberAvailable, line.MemberId, -line.OpenShareRupiah)]);
    }

    /// <summary>
    /// A refund reverses what it gives back: each member's share of it (from pending, or from available once handed
    /// over, which may go negative after a payout and is netted against her next one), the cooperative's fee on it,
    /// and the shipping; the money leaves by the refund's channel. A fee Stripe takes on the refund is the cooperative's cost.
    /// </summary>
    public static JournalEntry Refund(OrderRefunded refunded, IReadOnlyDictionary<Guid, SaleLine> sold)
    {
        ArgumentNullException.ThrowIfNull(refunded);
        ArgumentNullException.ThrowIfNull(sold);
        var postings = new List<(string, Guid?, long)> { (Accounts.RefundsPaid(SaleChannels.Of(refunded)), null, -refunded.TotalRupiah) };
        foreach (var given in refunded.Lines)
        {
            var line = sold[given.OrderLineId];
            var (fee, share) = line.Refund(given.Quantity, given.AmountRupiah);
            var fromHeld = line.TakeFromHeld(share);
            postings.Add((Accounts.MemberDisputed, line.MemberId, fromHeld));
            postings.Add((line.ReleasedAt is null ? Accounts.MemberPending : Accounts.MemberAvailable, line.MemberId, share - fromHeld));
            postings.Add((Accounts.FeeIncome, null, fee));
        }

        postings.Add((Accounts.ShippingIncome, null, refunded.ShippingRupiah));
        AddPaymentFee(postings, Accounts.StripeFees, Accounts.Received(SaleChannels.Of(refunded)), refunded.StripeFeeRupiah);
        return JournalEntry.Post(refunded.CooperativeId, RefundSource(refunded.RefundId), "refund", $"Refund {refunded.RefundId} of order {refunded.OrderId}", refunded.RefundedAt, postings);
    }

    /// <summary>A fee Stripe kept: a cost to the cooperative, out of the money it received through that channel.</summary>
    private static void AddPaymentFee(List<(string, Guid?, long)> postings, string feeAccount, string receivedAccount, long? feeRupiah)
    {
        if (feeRupiah is > 0 and var fee)
        {
            postings.Add((feeAccount, null, fee));
            postings.Add((receivedAccount, null, -fee));
        }
    }
}
