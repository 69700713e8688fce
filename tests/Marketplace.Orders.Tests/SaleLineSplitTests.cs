using Marketplace.Contracts.Orders;
using Marketplace.Orders.Settlement.Ledger;

namespace Marketplace.Orders.Tests;

/// <summary>A sale line's money between the cooperative's fee and the member's share: whole rupiah, nothing created or lost.</summary>
public sealed class SaleLineSplitTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 3, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(25_000, 10, 2_500, 22_500)]
    [InlineData(10_001, 12.5, 1_250, 8_751)]
    [InlineData(333, 7.5, 24, 309)]
    [InlineData(149_999, 12.35, 18_524, 131_475)]
    [InlineData(1, 33.33, 0, 1)]
    [InlineData(99_999, 100, 99_999, 0)]
    [InlineData(99_999, 0, 0, 99_999)]
    [InlineData(0, 10, 0, 0)]
    public void The_fee_is_rounded_down_to_the_rupiah_and_the_member_keeps_the_rest(long total, double percent, long fee, long share)
    {
        var split = SaleLineSplit.Of(total, (decimal)percent);

        Assert.Equal(fee, split.FeeRupiah);
        Assert.Equal(share, split.ShareRupiah);
    }

    [Fact]
    public void Fee_and_share_always_add_up_to_the_line_total_and_the_fee_never_exceeds_its_percentage()
    {
        decimal[] percents = [0m, 0.01m, 2.5m, 7.5m, 12.35m, 33.33m, 66.67m, 99.99m, 100m];
        foreach (var percent in percents)
        {
            for (long total = 0; total <= 20_000; total += 7)
            {
                var split = SaleLineSplit.Of(total, percent);
                var exact = total * percent / 100m;

                Assert.Equal(total, split.FeeRupiah + split.ShareRupiah);
                Assert.True(split.FeeRupiah <= exact && exact < split.FeeRupiah + 1, $"{percent}% of {total}: fee {split.FeeRupiah}");
            }
        }
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(100.01)]
    public void A_fee_outside_0_to_100_percent_is_refused(double percent) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => SaleLineSplit.Of(10_000, (decimal)percent));

    [Fact]
    public void A_line_refunded_in_parts_gives_back_exactly_its_fee_and_its_share()
    {
        // Seven units of Rp 14.286 at 7,5%: the fee is Rp 7.500 (7.500,15 rounded down).
        var line = SaleLine.Sell(new SoldLine(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "kerupuk", "Kerupuk", 7, 14_286, 100_002, 7.5m),
            Guid.NewGuid(), Guid.NewGuid(), SaleChannel.Card, Now);

        var first = line.Refund(2, 2 * 14_286);
        var second = line.Refund(4, 4 * 14_286);
        var last = line.Refund(1, 14_286);

        Assert.Equal(7_500, line.FeeRupiah);
        Assert.Equal(92_502, line.ShareRupiah);
        Assert.Equal(new SaleLineSplit(2_142, 26_430), first);
        Assert.Equal(new SaleLineSplit(4_285, 52_859), second);
        // The last unit takes what is left of the fee, so the parts sum to the whole.
        Assert.Equal(new SaleLineSplit(1_073, 13_213), last);
        Assert.Equal(line.FeeRupiah, first.FeeRupiah + second.FeeRupiah + last.FeeRupiah);
        Assert.Equal(line.ShareRupiah, first.ShareRupiah + second.ShareRupiah + last.ShareRupiah);
        Assert.Equal(0, line.OpenShareRupiah);
    }

    [Fact]
    public void More_units_than_were_sold_cannot_be_refunded()
    {
        var line = SaleLine.Sell(new SoldLine(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "kerupuk", "Kerupuk", 2, 10_000, 20_000, 10m),
            Guid.NewGuid(), Guid.NewGuid(), SaleChannel.Cash, Now);
        line.Refund(1, 10_000);

        Assert.Throws<InvalidOperationException>(() => line.Refund(2, 20_000));
        Assert.Equal(1, line.RefundedQuantity);
    }

    [Fact]
    public void A_sale_posts_the_payment_received_each_members_share_as_pending_and_the_fees_and_shipping_as_income()
    {
        var (siti, ani) = (Guid.NewGuid(), Guid.NewGuid());
        var paid = new OrderPaid(Guid.NewGuid(), Guid.NewGuid(), PaymentChannel.Qris, "QR1",
            [
                new SoldLine(Guid.NewGuid(), siti, Guid.NewGuid(), Guid.NewGuid(), "kerupuk", "Kerupuk", 3, 3_333, 9_999, 12.5m),
                new SoldLine(Guid.NewGuid(), ani, Guid.NewGuid(), Guid.NewGuid(), "batik", "Batik", 1, 150_001, 150_001, 7.5m),
            ],
            15_000, 175_000, Now);

        var (lines, entry) = SalePostings.Sale(paid);
        long Sum(string account, Guid? member = null) => entry.Lines.Where(l => l.Account == account && (member is null || l.MemberId == member)).Sum(l => l.AmountRupiah);

        Assert.Equal(0, entry.Lines.Sum(l => l.AmountRupiah));
        Assert.Equal(175_000, Sum(Accounts.Received(SaleChannel.Qris)));
        // Siti: 12,5% of 9.999 is 1.249,875: fee 1.249, share 8.750. Ani: 7,5% of 150.001 is 11.250,075: fee 11.250, share 138.751.
        Assert.Equal(-8_750, Sum(Accounts.MemberPending, siti));
        Assert.Equal(-138_751, Sum(Accounts.MemberPending, ani));
        Assert.Equal(-(1_249 + 11_250), Sum(Accounts.FeeIncome));
        Assert.Equal(-15_000, Sum(Accounts.ShippingIncome));
        Assert.All(lines, l => Assert.Equal(SaleChannel.Qris, l.Channel));
    }
}
