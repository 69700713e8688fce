namespace Marketplace.Orders.Settlement.Payouts;

public enum PayoutAccountChangeStatus
{
    Pending,
    Confirmed,
    Rejected,

    /// <summary>A newer proposal for the same member took its place before anyone decided.</summary>
    Replaced,
}
