namespace Marketplace.Orders.Tills;

/// <summary>Cash put in or taken out of the drawer, with the clerk's reason.</summary>
public sealed record TillCashMovementResponse(Guid Id, string Direction, long AmountRupiah, string? Reason, string By, DateTimeOffset At);

/// <summary>
/// A till session's report: running (X) while open, closing (Z) once closed. QRIS sales are paid to the cooperative's
/// account, never into the drawer, so they are counted apart from the cash expected.
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
    IReadOnlyList<TillCashMovementResponse> CashMovements)
{
    public static TillReport Of(TillSession session, string tillName, IReadOnlyList<TillMovement> movements)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(movements);
        var closed = session.Status == TillSessionStatus.Closed;
        return new TillReport(
            session.Id, session.TillId, tillName, closed ? "z" : "x", closed ? "closed" : "open", session.OpenedBy, session.OpenedAt, session.FloatRupiah,
            session.CashSalesRupiah, session.CashSalesCount, session.KioskPaymentsRupiah, session.KioskPaymentsCount, session.QrisSalesRupiah, session.QrisSalesCount, session.CashRefundsRupiah, session.RefundsCount,
            session.PaidInRupiah, session.PaidOutRupiah, session.ExpectedCashRupiah, session.LateSalesCount, session.ClosedBy, session.ClosedAt,
            session.CountedRupiah, session.DifferenceRupiah, session.DifferenceRevision, session.CloseNote, session.AwaitsReview,
            closed ? session.ReviewThresholdRupiah : null, session.ReviewedBy, session.ReviewedAt, session.ReviewNote,
            movements.Where(m => m.Kind is TillMovementKind.PaidIn or TillMovementKind.PaidOut)
                .OrderBy(m => m.At)
                .Select(m => new TillCashMovementResponse(m.Id, m.Kind == TillMovementKind.PaidIn ? "in" : "out", Math.Abs(m.AmountRupiah), m.Reason, m.By, m.At))
                .ToList());
    }
}

/// <summary>One line of the sessions list.</summary>
public sealed record TillSessionSummary(
    Guid Id, Guid TillId, string TillName, string Status, string OpenedBy, DateTimeOffset OpenedAt, DateTimeOffset? ClosedAt, long ExpectedCashRupiah,
    long? CountedRupiah, long? DifferenceRupiah, bool AwaitsReview);

public sealed record TillSessionPage(IReadOnlyList<TillSessionSummary> Sessions, int Page, int PageSize, int Total);

/// <summary>A till and its open session, if any.</summary>
public sealed record TillResponse(Guid Id, string Name, TillOpenSession? OpenSession);

public sealed record TillOpenSession(Guid Id, string OpenedBy, DateTimeOffset OpenedAt, long FloatRupiah, long ExpectedCashRupiah);
