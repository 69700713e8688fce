namespace Marketplace.Contracts.Orders;

/// <summary>
/// One line of a paid order: whose product, how many, at what price (whole rupiah), and the cooperative's fee
/// percentage on it as its policy stood when the order was placed.
/// </summary>
public sealed record SoldLine(
    Guid OrderLineId,
    Guid MemberId,
    Guid ProductId,
    Guid VariantId,
    string Category,
    string Name,
    int Quantity,
    long UnitPriceRupiah,
    long LineTotalRupiah,
    decimal FeePercent);

/// <summary>
/// An order was paid to its cooperative (the merchant of record) through <see cref="Channel"/>; the reference is
/// Stripe's PaymentIntent for a card, the QRIS transaction's reference if the kiosk noted one, else none.
/// Settlement learns what was sold from this; the members' earnings become payable at hand-over.
/// <see cref="StripeFeeRupiah"/> and <see cref="ApplicationFeeRupiah"/> are what Stripe kept of a card payment (its
/// processing fee, and the platform's application fee), from the charge's balance transaction; null for cash and QRIS,
/// and from publishers that predate them. They are the cooperative's cost, never the members'.
/// </summary>
public sealed record OrderPaid(
    Guid OrderId,
    Guid CooperativeId,
    PaymentChannel Channel,
    string? PaymentReference,
    IReadOnlyList<SoldLine> Lines,
    long ShippingRupiah,
    long TotalRupiah,
    DateTimeOffset PaidAt,
    long? StripeFeeRupiah = null,
    long? ApplicationFeeRupiah = null);

/// <summary>
/// What Stripe kept of an order's payment became known after <see cref="OrderPaid"/> went without it (Stripe made the
/// charge's balance transaction later: <c>charge.updated</c>, or seen in a payout). Sent each time it is seen; Settlement
/// books the fees once, and not at all when the sale already carried them.
/// </summary>
public sealed record OrderPaymentFeesKnown(
    Guid OrderId,
    Guid CooperativeId,
    PaymentChannel Channel,
    long StripeFeeRupiah,
    long ApplicationFeeRupiah,
    DateTimeOffset KnownAt);

/// <summary>A line of an order reached the shopper, handed over at the kiosk or delivered by the courier.</summary>
public sealed record FulfilledLine(Guid OrderLineId, Guid MemberId, int Quantity);

/// <summary>
/// Lines were handed over or delivered: from now on the member's earning on them is payable.
/// <see cref="How"/> is <c>handed_over</c> or <c>delivered</c>.
/// </summary>
public sealed record OrderLinesFulfilled(Guid OrderId, Guid CooperativeId, IReadOnlyList<FulfilledLine> Lines, string How, DateTimeOffset At);

/// <summary>What one refund gave back on one line: settlement reverses the member's share of it.</summary>
public sealed record RefundedLine(Guid OrderLineId, Guid MemberId, int Quantity, long AmountRupiah);

/// <summary>
/// Money went back to the shopper, by card (Stripe) or in cash at the kiosk. It adds a reversal; nothing earlier is
/// edited. <see cref="TotalRupiah"/> is the lines' amounts plus <see cref="ShippingRupiah"/>. <see cref="StripeFeeRupiah"/>
/// is the fee on the refund's balance transaction at Stripe (the cooperative's cost; null for cash).
/// </summary>
public sealed record OrderRefunded(
    Guid OrderId,
    Guid CooperativeId,
    Guid RefundId,
    RefundMethod Method,
    IReadOnlyList<RefundedLine> Lines,
    long ShippingRupiah,
    long TotalRupiah,
    DateTimeOffset RefundedAt,
    long? StripeFeeRupiah = null);

/// <summary>An order was cancelled before it was handed over; <see cref="Refunded"/> says whether money went back.</summary>
public sealed record OrderCancelled(Guid OrderId, Guid CooperativeId, string By, bool Refunded, DateTimeOffset CancelledAt);

/// <summary>Every line of a paid order for pickup is ready at the kiosk: its shopper can come for it.</summary>
public sealed record OrderReadyForPickup(Guid OrderId, Guid CooperativeId, DateOnly? PickupDate, DateTimeOffset ReadyAt);

/// <summary>A paid order left with a courier under a tracking number.</summary>
public sealed record OrderShipped(Guid OrderId, Guid CooperativeId, string Courier, string TrackingNumber, DateTimeOffset ShippedAt);

/// <summary>A handed-over or delivered line its buyer may now review: which product, whose, named as sold.</summary>
public sealed record ReviewableLine(Guid OrderLineId, Guid ProductId, Guid MemberId, string Name);

/// <summary>
/// Lines of an order reached their buyer (handed over at the kiosk or delivered), so she may review them; published
/// with <see cref="OrderLinesFulfilled"/>, in the same save. <see cref="BuyerKey"/> is
/// <c>BuyerKeys.Of(owner)</c> (ServiceDefaults): a hash of the order's owner (her account, or a guest's cookie), so the
/// reviewing service can tell the buyer by the same proof Orders knows her by, without holding the guest's secret.
/// <see cref="BuyerName"/> is the name she gave at checkout. Walk-in sales at the counter are not announced.
/// </summary>
public sealed record OrderLinesReviewable(
    Guid OrderId,
    Guid CooperativeId,
    string BuyerKey,
    string BuyerName,
    IReadOnlyList<ReviewableLine> Lines,
    DateTimeOffset At);
