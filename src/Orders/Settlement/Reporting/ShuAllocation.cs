namespace Marketplace.Orders.Settlement.Reporting;

/// <summary>The two pools of a year's surplus and each member's share of them, largest first.</summary>
public sealed record ShuAllocation(long JasaUsahaPoolRupiah, long JasaModalPoolRupiah, IReadOnlyList<ShuShare> Shares)
{
    /// <summary>What rounding down left in the pools: it stays with the cooperative.</summary>
    public long UnallocatedRupiah => JasaUsahaPoolRupiah + JasaModalPoolRupiah - Shares.Sum(s => s.TotalRupiah);
}
