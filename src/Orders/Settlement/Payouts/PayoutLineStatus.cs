namespace Marketplace.Orders.Settlement.Payouts;

public enum PayoutLineStatus
{
    Pending,
    Paid,

    /// <summary>The transfer failed: the amount went back to the member's available balance.</summary>
    Failed,
}
