namespace Marketplace.Contracts.Orders;

/// <summary>
/// A walk-in sale at the kiosk was recorded, paid and handed over at once: take its goods off the shelf. The goods were
/// in the clerk's hand, so the sale stands even when the books show fewer: Catalog takes what it has (first-expiring
/// batch first) and records the rest as a shortage for the next stock count; on hand never goes below zero. Keyed by
/// the sale's order id: a repeat takes nothing more.
/// </summary>
public sealed record TakeCounterStock(Guid OrderId, Guid CooperativeId, IReadOnlyList<StockLine> Lines, string SoldBy, DateTimeOffset SoldAt);

/// <summary>
/// Goods of a walk-in sale came back over the counter and were refunded in cash: put them back on the shelf, into the
/// batches they came from. Keyed by the refund: a repeat returns nothing more.
/// </summary>
public sealed record ReturnCounterStock(Guid OrderId, Guid RefundId, Guid CooperativeId, IReadOnlyList<StockLine> Lines, string ReturnedBy, DateTimeOffset ReturnedAt);

/// <summary>
/// A walk-in sale was recorded (also one sent late from a device that was offline). Notifications sends the receipt's
/// link to the buyer when she gave a WhatsApp number.
/// </summary>
public sealed record CounterSaleRecorded(
    Guid OrderId,
    Guid CooperativeId,
    string ReceiptNumber,
    string ReceiptUrl,
    long TotalRupiah,
    PaymentChannel Channel,
    string? BuyerWhatsApp,
    string Language,
    DateTimeOffset SoldAt);

/// <summary>
/// Cash put into a till or taken out of it other than by a sale or a refund (change brought in, a purchase paid from the
/// till), with the clerk's reason. <see cref="AmountRupiah"/> is positive in, negative out.
/// </summary>
public sealed record TillCashMoved(Guid MovementId, Guid CooperativeId, Guid TillSessionId, long AmountRupiah, string Reason, string MovedBy, DateTimeOffset At);

/// <summary>
/// A till session's difference between the cash counted and the cash expected, as it now stands (positive: more cash
/// than expected). Published at closing, and again with a higher <see cref="Revision"/> when a sale sent late from an
/// offline device joins the closed session and changes what was expected: settlement posts only the change since the
/// revision it last posted, so cash is never counted twice.
/// </summary>
public sealed record TillDifferenceRecorded(
    Guid TillSessionId, Guid CooperativeId, int Revision, long DifferenceRupiah, string? Note, string RecordedBy, DateTimeOffset At);
