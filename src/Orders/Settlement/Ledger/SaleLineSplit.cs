namespace Marketplace.Orders.Settlement.Ledger;

/// <summary>
/// How a sale line's money divides between the cooperative's fee and the member's share, in whole rupiah: the fee is
/// the line's total times the fee percentage, rounded down; the remainder is the member's. Nothing is created or lost:
/// fee and share always add up to the line's total.
/// </summary>
public readonly record struct SaleLineSplit(long FeeRupiah, long ShareRupiah)
{
    public static SaleLineSplit Of(long lineTotalRupiah, decimal feePercent)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(lineTotalRupiah);
        if (feePercent is < 0 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(feePercent), feePercent, "A fee is a percentage from 0 to 100.");
        }

        // Rounded down: a fraction of a rupiah goes to the member, never to the cooperative.
        var fee = (long)Math.Floor(lineTotalRupiah * feePercent / 100m);
        return new SaleLineSplit(fee, lineTotalRupiah - fee);
    }

    /// <summary>
    /// What refunding <paramref name="quantity"/> more of <paramref name="soldQuantity"/> units gives back of the fee
    /// (<paramref name="feeRupiah"/>, of which <paramref name="refundedFeeRupiah"/> went back already): in proportion,
    /// rounded down, and the last units refunded take the remainder, so a line refunded in parts reverses exactly its
    /// fee. The share given back is the rest of the amount refunded.
    /// </summary>
    public static SaleLineSplit Refund(long feeRupiah, int soldQuantity, int refundedQuantity, long refundedFeeRupiah, int quantity, long amountRupiah)
    {
        if (quantity <= 0 || refundedQuantity + quantity > soldQuantity)
        {
            throw new ArgumentOutOfRangeException(nameof(quantity), quantity, $"{soldQuantity - refundedQuantity} units are left to refund.");
        }

        var fee = refundedQuantity + quantity == soldQuantity
            ? feeRupiah - refundedFeeRupiah
            : feeRupiah * quantity / soldQuantity;
        return new SaleLineSplit(fee, amountRupiah - fee);
    }
}
