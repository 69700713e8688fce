namespace Marketplace.Contracts.Orders;

/// <summary>One line of a paid order: whose product, how many, at what price (whole rupiah).</summary>
public sealed record SoldLine(
    Guid OrderLineId,
    Guid MemberId,
    Guid ProductId,
    Guid VariantId,
    string Category,
    string Name,
    int Quantity,
    long UnitPriceRupiah,
    long LineTotalRupiah);

/// <summary>
/// An order was paid to its cooperative (the merchant of record): by card (Stripe) or at the kiosk (cash or QRIS).
/// Settlement learns what was sold from this; the members' earnings become payable at hand-over.
/// </summary>
public sealed record OrderPaid(
    Guid OrderId,
    Guid CooperativeId,
    string PaymentMethod,
    string? PaymentReference,
    IReadOnlyList<SoldLine> Lines,
    long ShippingRupiah,
    long TotalRupiah,
    DateTimeOffset PaidAt);
