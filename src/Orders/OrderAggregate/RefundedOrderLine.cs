namespace Marketplace.Orders.OrderAggregate;

/// <summary>What one refund gives back on one line: the member's share of it is reversed in her books.</summary>
public sealed record RefundedOrderLine(Guid OrderLineId, Guid MemberId, int Quantity, long AmountRupiah);
