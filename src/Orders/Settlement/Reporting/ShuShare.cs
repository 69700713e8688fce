namespace Marketplace.Orders.Settlement.Reporting;

/// <summary>One member's SHU: her part of the jasa usaha pool (by her transactions) and of the jasa modal pool (by her savings).</summary>
public sealed record ShuShare(Guid MemberId, long TransactionsRupiah, long SavingsRupiah, long JasaUsahaRupiah, long JasaModalRupiah)
{
    public long TotalRupiah => JasaUsahaRupiah + JasaModalRupiah;
}
