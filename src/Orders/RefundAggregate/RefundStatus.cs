namespace Marketplace.Orders.RefundAggregate;

public enum RefundStatus
{
    /// <summary>Reserved on the order; Stripe not yet (or not known to have) refunded it.</summary>
    Pending,
    Succeeded,
    Failed,
}
