using Marketplace.ServiceDefaults.Errors;

namespace Marketplace.Orders.Settlement.Payouts;

/// <summary>Who a payout batch pays, and how much.</summary>
public static class PayoutRules
{
    /// <summary>
    /// From each member's available balance the savings due (simpanan wajib) come first, never more than she has; what
    /// is left is paid when it is above zero and at or above the minimum. A member under it waits for the next batch,
    /// savings and all; a negative balance (a refund after her payout) carries to the next batch.
    /// </summary>
    public static IReadOnlyList<PayableBalance> Payable(IEnumerable<(Guid MemberId, long AvailableRupiah)> balances, long minimumRupiah, long savingsDueRupiah)
    {
        ArgumentNullException.ThrowIfNull(balances);
        if (minimumRupiah < 0 || savingsDueRupiah < 0)
        {
            throw new DomainException("The minimum payout and the savings due are 0 or more.", "invalid_minimum");
        }

        return balances
            .Select(b => new PayableBalance(b.MemberId, b.AvailableRupiah, Math.Min(savingsDueRupiah, Math.Max(0, b.AvailableRupiah))))
            .Where(b => b.NetRupiah > 0 && b.NetRupiah >= minimumRupiah)
            .ToList();
    }
}
