namespace Marketplace.Orders.OrderAggregate;

/// <summary>How much of which line a refund gives back.</summary>
public sealed record RefundLineRequest(Guid LineId, int Quantity);
