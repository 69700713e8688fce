namespace Marketplace.Orders.Settlement.Payouts;

/// <summary>A member's available balance going into a payout: the savings deducted from it first, and the rest paid.</summary>
public sealed record PayableBalance(Guid MemberId, long AvailableRupiah, long SavingsRupiah)
{
    public long NetRupiah => AvailableRupiah - SavingsRupiah;
}
