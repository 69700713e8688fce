namespace Marketplace.Orders.OrderAggregate;

/// <summary>A refund reserved on an order: these lines, the shipping if any, and the total of both.</summary>
public sealed record RefundPlan(IReadOnlyList<RefundedOrderLine> Lines, long ShippingRupiah, long TotalRupiah);
