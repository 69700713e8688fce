namespace Marketplace.Contracts.Orders;

public sealed record StockLine(Guid VariantId, int Quantity);

/// <summary>
/// Hold every line of an order, or none, until <see cref="ExpiresAt"/>. Catalog answers StockReserved or StockReservationRefused.
/// With <see cref="MaxSharePercent"/>, no line may hold more than that share of its size's stock on hand (at least one unit).
/// </summary>
public sealed record ReserveStock(Guid OrderId, Guid CooperativeId, IReadOnlyList<StockLine> Lines, DateTimeOffset ExpiresAt, int? MaxSharePercent = null);

/// <summary>The order was paid: take the held stock off the shelf.</summary>
public sealed record ConfirmStockReservation(Guid OrderId);

/// <summary>The order was cancelled or not paid: put the held stock back on sale.</summary>
public sealed record ReleaseStockReservation(Guid OrderId, string Reason);

/// <summary>
/// Orders' note to itself: finish this refund at Stripe. Sent with the refund's record, so a refund started in a
/// transaction is completed after it commits, even if the process stops in between.
/// </summary>
public sealed record CompleteRefund(Guid RefundId);
