using Marketplace.Contracts.Orders;
using Marketplace.Orders.Payments;
using Marketplace.Orders.Settlement.Ledger;

namespace Marketplace.Orders.Tests;

/// <summary>What Stripe keeps of a card payment is the cooperative's cost, out of the money received; the member's share never moves.</summary>
public sealed class PaymentFeePostingsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 3, 0, 0, TimeSpan.Zero);

    private static readonly Guid Member = Guid.NewGuid();

    private static OrderPaid Sale(PaymentChannel channel, long? stripeFee, long? applicationFee) => new(
        Guid.NewGuid(), Guid.NewGuid(), channel, "pi_test",
        [new SoldLine(Guid.NewGuid(), Member, Guid.NewGuid(), Guid.NewGuid(), "kerajinan", "Tas", 2, 25_000, 50_000, 10m)],
        18_000, 68_000, Now, stripeFee, applicationFee);

    private static long Sum(JournalEntry entry, string account) => entry.Lines.Where(l => l.Account == account).Sum(l => l.AmountRupiah);

    [Fact]
    public void A_card_sale_posts_Stripes_fee_and_the_application_fee_against_the_money_received_and_leaves_the_share_whole()
    {
        var (_, entry) = SalePostings.Sale(Sale(PaymentChannel.Card, 4_312, 680));

        Assert.Equal(0, entry.Lines.Sum(l => l.AmountRupiah));
        Assert.Equal((4_312, 680), (Sum(entry, Accounts.StripeFees), Sum(entry, Accounts.ApplicationFees)));
        Assert.Equal(68_000 - 4_312 - 680, Sum(entry, "received:card"));
        Assert.Equal(-45_000, Sum(entry, Accounts.MemberPending));
        Assert.Equal(-5_000, Sum(entry, Accounts.FeeIncome));
    }

    [Theory]
    [InlineData(PaymentChannel.Cash)]
    [InlineData(PaymentChannel.Card)]
    public void A_sale_without_fees_posts_none(PaymentChannel channel)
    {
        var (_, entry) = SalePostings.Sale(Sale(channel, null, null));

        Assert.DoesNotContain(entry.Lines, l => l.Account.StartsWith("payment-fees", StringComparison.Ordinal));
        Assert.Equal(68_000, entry.Lines.Where(l => l.Account.StartsWith("received:", StringComparison.Ordinal)).Sum(l => l.AmountRupiah));
    }

    [Fact]
    public void A_card_refunds_fee_is_the_cooperatives_cost_too()
    {
        var paid = Sale(PaymentChannel.Card, 4_312, 0);
        var (lines, _) = SalePostings.Sale(paid);
        var refund = new OrderRefunded(paid.OrderId, paid.CooperativeId, Guid.NewGuid(), RefundMethod.Card,
            [new RefundedLine(lines[0].OrderLineId, Member, 1, 25_000)], 0, 25_000, Now, 1_000);

        var entry = SalePostings.Refund(refund, lines.ToDictionary(l => l.OrderLineId));

        Assert.Equal(0, entry.Lines.Sum(l => l.AmountRupiah));
        Assert.Equal(1_000, Sum(entry, Accounts.StripeFees));
        Assert.Equal(-1_000, Sum(entry, "received:card"));
        Assert.Equal(22_500, Sum(entry, Accounts.MemberPending));
    }

    [Theory]
    [InlineData(370_000, 3_700)]
    [InlineData(370_050, 3_701)]
    [InlineData(370_049, 3_700)]
    [InlineData(0, 0)]
    public void Stripes_hundredths_of_a_rupiah_become_whole_rupiah(long hundredths, long rupiah) =>
        Assert.Equal(rupiah, StripePayments.FromStripeAmount(hundredths));
}
