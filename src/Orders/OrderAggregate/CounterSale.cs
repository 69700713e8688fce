namespace Marketplace.Orders.OrderAggregate;

/// <summary>
/// What a walk-in sale keeps besides its lines and money: the key that opens its receipt, the cash handed over and the
/// change, who sold it, and the fingerprint of the request that made it (the device may send it again; only the very
/// same sale is answered as recorded).
/// </summary>
public sealed record CounterSale(
    string ReceiptKey,
    long? TenderedRupiah,
    long ChangeRupiah,
    string SoldBy,
    bool Late,
    string RequestHash,
    string? BuyerWhatsApp,
    DateTimeOffset RecordedAt,
    string? ClerkName = null);

/// <summary>
/// Everything the counter decided before the sale is recorded: which sale (its id made on the device), how it was paid,
/// which till session holds its cash and whether that session had already closed, its receipt and who sold it.
/// </summary>
public sealed record CounterSaleTerms(
    Guid SaleId,
    Guid CooperativeId,
    PaymentChannel Channel,
    string? Reference,
    long? TenderedRupiah,
    Guid? TillSessionId,
    bool Late,
    string ReceiptNumber,
    string ReceiptKey,
    string ReceiptUrl,
    string SoldBy,
    string? BuyerWhatsApp,
    string Language,
    string RequestHash,
    DateTimeOffset SoldAt,
    string? ClerkName = null);
