using Marketplace.Orders.Settlement.Reporting;
using Marketplace.ServiceDefaults.Errors;

namespace Marketplace.Orders.Tests;

/// <summary>
/// SHU per member = (her transactions / all members' transactions) x jasa usaha pool + (her savings / all savings) x
/// jasa modal pool; the pools are the surplus times the statutes' percentages.
/// </summary>
public sealed class ShuFormulaTests
{
    private static readonly Guid Siti = Guid.NewGuid();
    private static readonly Guid Ani = Guid.NewGuid();
    private static readonly Guid Wati = Guid.NewGuid();

    [Fact]
    public void A_worked_example_matches_the_hand_calculation()
    {
        // Surplus Rp 10.000.000, 40% jasa usaha, 25% jasa modal: pools Rp 4.000.000 and Rp 2.500.000.
        var allocation = ShuFormula.Allocate(10_000_000, 40m, 25m,
            new Dictionary<Guid, long> { [Siti] = 1_500_000, [Ani] = 1_000_000 },
            new Dictionary<Guid, long> { [Siti] = 600_000, [Ani] = 900_000, [Wati] = 1_500_000 });

        Assert.Equal(4_000_000, allocation.JasaUsahaPoolRupiah);
        Assert.Equal(2_500_000, allocation.JasaModalPoolRupiah);
        // Siti: 1.5/2.5 x 4.000.000 + 0.6/3 x 2.500.000; Ani: 1/2.5 x 4.000.000 + 0.9/3 x 2.500.000; Wati: savings only.
        Assert.Equal((2_400_000, 500_000), Parts(allocation, Siti));
        Assert.Equal((1_600_000, 750_000), Parts(allocation, Ani));
        Assert.Equal((0, 1_250_000), Parts(allocation, Wati));
        Assert.Equal([Siti, Ani, Wati], allocation.Shares.Select(s => s.MemberId));
        Assert.Equal(0, allocation.UnallocatedRupiah);
    }

    [Fact]
    public void Each_part_is_rounded_down_and_what_rounding_leaves_stays_with_the_cooperative()
    {
        // Rp 1.000 shared three ways: Rp 333 each, Rp 1 left; the pool itself is 33,33% of Rp 3.001, rounded down.
        var allocation = ShuFormula.Allocate(3_001, 33.33m, 0m,
            new Dictionary<Guid, long> { [Siti] = 10_000, [Ani] = 10_000, [Wati] = 10_000 }, new Dictionary<Guid, long>());

        Assert.Equal(1_000, allocation.JasaUsahaPoolRupiah);
        Assert.All(allocation.Shares, s => Assert.Equal(333, s.TotalRupiah));
        Assert.Equal(1, allocation.UnallocatedRupiah);
        Assert.Equal(allocation.JasaUsahaPoolRupiah + allocation.JasaModalPoolRupiah, allocation.Shares.Sum(s => s.TotalRupiah) + allocation.UnallocatedRupiah);
    }

    [Fact]
    public void Refunds_beyond_her_sales_count_as_no_transactions_not_as_a_negative_share()
    {
        var allocation = ShuFormula.Allocate(1_000_000, 50m, 0m,
            new Dictionary<Guid, long> { [Siti] = -20_000, [Ani] = 40_000 }, new Dictionary<Guid, long>());

        Assert.Equal((0, 0), Parts(allocation, Siti));
        Assert.Equal((500_000, 0), Parts(allocation, Ani));
    }

    [Fact]
    public void Without_transactions_or_savings_the_pools_stay_unallocated()
    {
        var allocation = ShuFormula.Allocate(2_000_000, 60m, 40m, new Dictionary<Guid, long>(), new Dictionary<Guid, long> { [Siti] = 0 });

        Assert.Equal(0, allocation.Shares.Sum(s => s.TotalRupiah));
        Assert.Equal(2_000_000, allocation.UnallocatedRupiah);
    }

    [Theory]
    [InlineData(1_000, 60, 41, 0)]
    [InlineData(1_000, -1, 0, 0)]
    [InlineData(-1, 10, 10, 0)]
    [InlineData(1_000, 10, 10, -5)]
    public void Pools_over_100_percent_or_negative_figures_are_refused(long surplus, double usaha, double modal, long savings)
    {
        var refused = Assert.Throws<DomainException>(() => ShuFormula.Allocate(surplus, (decimal)usaha, (decimal)modal,
            new Dictionary<Guid, long> { [Siti] = 1_000 }, new Dictionary<Guid, long> { [Siti] = savings }));

        Assert.Equal("invalid_shu", refused.Code);
    }

    private static (long Usaha, long Modal) Parts(ShuAllocation allocation, Guid member)
    {
        var share = allocation.Shares.Single(s => s.MemberId == member);
        return (share.JasaUsahaRupiah, share.JasaModalRupiah);
    }
}
