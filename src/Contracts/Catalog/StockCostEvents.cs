namespace Marketplace.Contracts.Catalog;

/// <summary>
/// Goods of one product size that left or came back to the shelf, at what they cost their member: the sum over the
/// batches they were taken from (or returned to) of quantity times the batch's cost per unit. <see cref="CostKnown"/>
/// is false when some of them came from a batch whose cost she never recorded (counted as 0 here).
/// </summary>
public sealed record CostedLine(Guid VariantId, Guid ProductId, Guid MemberId, int Quantity, long CostRupiah, bool CostKnown);

/// <summary>An order's held stock was taken off the shelf (it was paid), first-expiring batch first.</summary>
public sealed record StockSoldAtCost(Guid OrderId, Guid CooperativeId, IReadOnlyList<CostedLine> Lines, DateTimeOffset At);

/// <summary>A paid order's goods went back on the shelf (it was cancelled before it was handed over), into the batches they came from.</summary>
public sealed record StockRestockedAtCost(Guid OrderId, Guid CooperativeId, IReadOnlyList<CostedLine> Lines, DateTimeOffset At);

/// <summary>A product size's stock on hand fell to or below the threshold its member set: she is told once, until it rises above again.</summary>
public sealed record StockRunningLow(
    Guid VariantId, Guid ProductId, Guid CooperativeId, Guid MemberId, string ProductName, string VariantLabel, int OnHand, int Threshold, DateTimeOffset At);

/// <summary>Goods of a walk-in sale came back over the counter (one refund), into the batches they came from.</summary>
public sealed record StockReturnedAtCost(Guid OrderId, Guid RefundId, Guid CooperativeId, IReadOnlyList<CostedLine> Lines, DateTimeOffset At);
