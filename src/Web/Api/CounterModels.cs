namespace Marketplace.Web.Api;

/// <summary>Cash put in or taken out of the drawer, with the clerk's reason.</summary>
public sealed record TillCashMovement(Guid Id, string Direction, long AmountRupiah, string? Reason, string By, DateTimeOffset At);

/// <summary>
/// A till session's report from Orders: running (X) while open, closing (Z) once closed. QRIS sales are paid to the
/// cooperative's account, never into the drawer, so they are counted apart from the cash expected.
/// </summary>
public sealed record TillReport(
    Guid Id,
    Guid TillId,
    string TillName,
    string Kind,
    string Status,
    string OpenedBy,
    DateTimeOffset OpenedAt,
    long FloatRupiah,
    long CashSalesRupiah,
    int CashSalesCount,
    long KioskPaymentsRupiah,
    int KioskPaymentsCount,
    long QrisSalesRupiah,
    int QrisSalesCount,
    long CashRefundsRupiah,
    int RefundsCount,
    long PaidInRupiah,
    long PaidOutRupiah,
    long ExpectedCashRupiah,
    int LateSalesCount,
    string? ClosedBy,
    DateTimeOffset? ClosedAt,
    long? CountedRupiah,
    long? DifferenceRupiah,
    int DifferenceRevision,
    string? Note,
    bool AwaitsReview,
    long? ReviewThresholdRupiah,
    string? ReviewedBy,
    DateTimeOffset? ReviewedAt,
    string? ReviewNote,
    IReadOnlyList<TillCashMovement> CashMovements)
{
    public bool Closed => Status == "closed";
}

/// <summary>One line of a walk-in sale: the price the buyer paid, and the catalogue's when it had changed.</summary>
public sealed record SaleLine(
    Guid OrderLineId,
    Guid ProductId,
    Guid VariantId,
    string Name,
    string? NameEn,
    string VariantLabel,
    string? MakerName,
    int Quantity,
    long UnitPriceRupiah,
    long LineTotalRupiah,
    bool PriceChanged,
    long? ListPriceRupiah,
    int ReturnedQuantity);

/// <summary>A walk-in sale as its receipt (nota) shows it; <see cref="SoldAtLocal"/> is already the kiosk's clock.</summary>
public sealed record CounterSale(
    Guid OrderId,
    Guid CooperativeId,
    string CooperativeName,
    string ReceiptNumber,
    IReadOnlyList<SaleLine> Lines,
    long TotalRupiah,
    long? TenderedRupiah,
    long ChangeRupiah,
    string Channel,
    string? Reference,
    string Clerk,
    DateTimeOffset SoldAt,
    string SoldAtLocal,
    Guid? TillSessionId,
    IReadOnlyList<string> Flags,
    long RefundedRupiah,
    string Language,
    string ReceiptUrl);

/// <summary>Goods sold at the counter beyond the stock on record (Catalog's), open until the size is counted.</summary>
public sealed record CounterShortage(
    Guid Id, Guid ProductId, string ProductName, string? ProductNameEn, Guid VariantId, string VariantLabel, string Sku, Guid MemberId, string MakerName,
    Guid OrderId, int Quantity, int OnHand, DateTimeOffset At);

/// <summary>One line of the till sessions' list.</summary>
public sealed record TillSessionLine(
    Guid Id, Guid TillId, string TillName, string Status, string OpenedBy, DateTimeOffset OpenedAt, DateTimeOffset? ClosedAt, long ExpectedCashRupiah,
    long? CountedRupiah, long? DifferenceRupiah, bool AwaitsReview);

public sealed record TillSessionPage(IReadOnlyList<TillSessionLine> Sessions, int Page, int PageSize, int Total);

/// <summary>A walk-in sale an admin should look at: sent after its till closed, or sold at a price that had changed.</summary>
public sealed record FlaggedSale(
    Guid OrderId, string ReceiptNumber, DateTimeOffset SoldAt, string Clerk, Guid? TillSessionId, bool Late, IReadOnlyList<FlaggedLine> PriceChangedLines);

public sealed record FlaggedLine(Guid OrderLineId, string Name, string VariantLabel, int Quantity, long UnitPriceRupiah, long ListPriceRupiah);

/// <summary>Whether the cooperative has set its static QRIS (Orders' <c>GET /kiosk/{id}/qris</c>).</summary>
public sealed record QrisState(Guid CooperativeId, bool Set);
