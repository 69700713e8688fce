namespace Marketplace.Orders.OrderAggregate;

/// <summary>
/// A line Catalog could not hold: how many were asked for, how many were left, and why (<c>sold_out</c>,
/// <c>not_on_sale</c>, ...), as Catalog said it. Stored with the order, so it is the order's own record.
/// </summary>
public sealed record StockShortfall(Guid VariantId, int Requested, int Available, string Reason);
