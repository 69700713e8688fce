using Marketplace.Contracts.Orders;
using Marketplace.Orders.Settlement.Disputes;
using Marketplace.Orders.Settlement.Ledger;

namespace Marketplace.Orders.Tests;

/// <summary>
/// What a card dispute posts, without a database: an order of 3 bags at Rp 25.000 (fee 10%: Rp 7.500; her share Rp 67.500)
/// with Rp 18.000 shipping, Stripe's dispute fee Rp 250.000.
/// </summary>
public sealed class DisputePostingsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 3, 0, 0, TimeSpan.Zero);
    private static readonly Guid Cooperative = Guid.NewGuid();
    private static readonly Guid Order = Guid.NewGuid();
    private static readonly Guid Member = Guid.NewGuid();

    [Fact]
    public void A_lost_dispute_after_a_partial_refund_reverses_exactly_what_is_left_and_the_fee_is_the_cooperatives_cost()
    {
        var (line, sale) = Sold();
        var refund = SalePostings.Refund(Refunded(line, quantity: 1), Lines(line));
        var opened = DisputePostings.Opened(Cooperative, Order, "dp_1", 50_000 + 18_000, 250_000, Now, [line]);
        var lost = DisputePostings.Lost(Closed(won: false, line, quantity: 2, shipping: 18_000), Lines(line), 68_000 + 250_000);

        var books = Sum(sale, refund, opened, lost);
        Assert.Equal(0, books.Values.Sum());
        // Her Rp 45.000 was held (pending: not handed over), then reversed; 1 bag's Rp 22.500 came back by the refund.
        Assert.Equal(-45_000, opened.Lines.Single(l => l.Account == Accounts.MemberDisputed).AmountRupiah);
        Assert.Equal((0L, 0L), (books.GetValueOrDefault(Accounts.MemberDisputed), books.GetValueOrDefault(Accounts.MemberPending)));
        // The whole fee and the shipping went back: 1 bag's by the refund, the rest by the dispute.
        Assert.Equal((0L, 0L), (books.GetValueOrDefault(Accounts.FeeIncome), books.GetValueOrDefault(Accounts.ShippingIncome)));
        Assert.Equal(5_000, lost.Lines.Single(l => l.Account == Accounts.FeeIncome).AmountRupiah);
        Assert.Equal((250_000L, 0L), (books[Accounts.DisputeFees], books.GetValueOrDefault(Accounts.DisputesWithheld)));
        Assert.Equal((3, 0L), (line.RefundedQuantity, line.OpenShareRupiah));
    }

    [Fact]
    public void A_line_handed_over_during_a_won_dispute_becomes_payable_and_the_fee_Stripe_kept_is_a_cost()
    {
        var (line, sale) = Sold();
        var opened = DisputePostings.Opened(Cooperative, Order, "dp_2", 93_000, 250_000, Now, [line]);
        var fulfilment = SalePostings.Fulfilment(new OrderLinesFulfilled(Order, Cooperative, [new FulfilledLine(line.OrderLineId, Member, 3)], "handed_over", Now),
            [line], TimeSpan.Zero);
        var won = DisputePostings.Won(Closed(won: true, line, quantity: 0, shipping: 0, returned: 93_000), [line], 93_000 + 250_000);

        // Handed over while held: nothing moves to available then; the win releases her share there.
        Assert.Empty(fulfilment.Lines);
        var books = Sum(sale, opened, fulfilment, won);
        Assert.Equal(0, books.Values.Sum());
        Assert.Equal((-67_500L, 0L, 0L), (books[Accounts.MemberAvailable], books[Accounts.MemberPending], books[Accounts.MemberDisputed]));
        Assert.Equal((250_000L, 93_000L - 250_000), (books[Accounts.DisputeFees], books[Accounts.Received(SaleChannel.Card)]));
    }

    [Fact]
    public void A_refund_that_arrives_after_the_hold_comes_out_of_the_held_share()
    {
        var (line, sale) = Sold();
        var opened = DisputePostings.Opened(Cooperative, Order, "dp_3", 93_000, 250_000, Now, [line]);
        var refund = SalePostings.Refund(Refunded(line, quantity: 1), Lines(line));

        Assert.Equal(22_500, refund.Lines.Single(l => l.Account == Accounts.MemberDisputed).AmountRupiah);
        Assert.DoesNotContain(refund.Lines, l => l.Account == Accounts.MemberPending);
        Assert.Equal(45_000, line.HeldForDisputeRupiah);
        var won = DisputePostings.Won(Closed(won: true, line, quantity: 0, shipping: 0, returned: 93_000), [line], 93_000 + 250_000);
        var books = Sum(sale, opened, refund, won);
        Assert.Equal(0, books.Values.Sum());
        Assert.Equal((0L, -45_000L), (books.GetValueOrDefault(Accounts.MemberDisputed), books[Accounts.MemberPending]));
    }

    private static (SaleLine Line, JournalEntry Sale) Sold()
    {
        var (lines, entry) = SalePostings.Sale(new OrderPaid(Order, Cooperative, PaymentChannel.Card, "pi_test",
            [new SoldLine(Guid.NewGuid(), Member, Guid.NewGuid(), Guid.NewGuid(), "kerajinan", "Tas pandan", 3, 25_000, 75_000, 10m)], 18_000, 93_000, Now));
        return (lines.Single(), entry);
    }

    private static Dictionary<Guid, SaleLine> Lines(SaleLine line) => new() { [line.OrderLineId] = line };

    private static OrderRefunded Refunded(SaleLine line, int quantity) =>
        new(Order, Cooperative, Guid.NewGuid(), RefundMethod.Card, [new RefundedLine(line.OrderLineId, Member, quantity, quantity * 25_000L)], 0, quantity * 25_000L, Now);

    private static OrderDisputeClosed Closed(bool won, SaleLine line, int quantity, long shipping, long returned = 0) =>
        new(Order, Cooperative, "dp", won, quantity * 25_000L + shipping, 250_000, returned,
            quantity == 0 ? [] : [new RefundedLine(line.OrderLineId, Member, quantity, quantity * 25_000L)], shipping, Now);

    private static Dictionary<string, long> Sum(params JournalEntry[] entries) =>
        entries.SelectMany(e => e.Lines).GroupBy(l => l.Account).ToDictionary(g => g.Key, g => g.Sum(l => l.AmountRupiah));
}
