using Marketplace.Contracts.Orders;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Orders.Tills;

public enum TillSessionStatus
{
    Open,
    Closed,
}

/// <summary>
/// A clerk's shift at one till: opened with a float, every cash movement of the shift belongs to it, and it closes with
/// the cash counted against the cash expected. The totals are kept here, under the row version, so two sales at one
/// till cannot both add to an old total; each change returns the <see cref="TillMovement"/> that records it.
/// A sale sent late by an offline device joins the session it was made in even after it closed: the cash expected
/// rises, and the difference is published again with the next revision, so the books move by the change only.
/// </summary>
public sealed class TillSession : AggregateRoot
{
    private TillSession()
    {
    }

    public Guid Id { get; private set; }

    public Guid TillId { get; private set; }

    public Guid CooperativeId { get; private set; }

    public TillSessionStatus Status { get; private set; }

    public string OpenedBy { get; private set; } = string.Empty;

    public DateTimeOffset OpenedAt { get; private set; }

    public long FloatRupiah { get; private set; }

    public long CashSalesRupiah { get; private set; }

    public int CashSalesCount { get; private set; }

    /// <summary>Cash taken here for orders placed online to be paid at the kiosk: in the drawer, but not walk-in sales.</summary>
    public long KioskPaymentsRupiah { get; private set; }

    public int KioskPaymentsCount { get; private set; }

    /// <summary>Paid to the cooperative's QRIS account, never into the drawer: counted for the report only.</summary>
    public long QrisSalesRupiah { get; private set; }

    public int QrisSalesCount { get; private set; }

    public long CashRefundsRupiah { get; private set; }

    public int RefundsCount { get; private set; }

    public long PaidInRupiah { get; private set; }

    public long PaidOutRupiah { get; private set; }

    /// <summary>Sales sent by an offline device after this session had closed.</summary>
    public int LateSalesCount { get; private set; }

    public string? ClosedBy { get; private set; }

    public DateTimeOffset? ClosedAt { get; private set; }

    public long? CountedRupiah { get; private set; }

    /// <summary>Counted minus expected (positive: more cash than expected), as it now stands.</summary>
    public long? DifferenceRupiah { get; private set; }

    /// <summary>1 at closing, one more for each late cash sale that changed it.</summary>
    public int DifferenceRevision { get; private set; }

    public string? CloseNote { get; private set; }

    /// <summary>The cooperative's review threshold when the session closed: a later late sale is judged by the same.</summary>
    public long ReviewThresholdRupiah { get; private set; }

    public bool AwaitsReview { get; private set; }

    public string? ReviewedBy { get; private set; }

    public DateTimeOffset? ReviewedAt { get; private set; }

    public string? ReviewNote { get; private set; }

    public uint Version { get; private set; }

    /// <summary>
    /// The cash that should be in the drawer: the float, plus cash sales, online orders paid here in cash and cash paid in,
    /// less cash refunds and cash paid out.
    /// </summary>
    public long ExpectedCashRupiah => FloatRupiah + CashSalesRupiah + KioskPaymentsRupiah - CashRefundsRupiah + PaidInRupiah - PaidOutRupiah;

    public static TillSession Open(Till till, long floatRupiah, string by, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(till);
        if (floatRupiah is < 0 or > 100_000_000)
        {
            throw new DomainException("The float is the cash in the drawer at opening: 0 or more rupiah.", "invalid_float");
        }

        return new TillSession
        {
            Id = Guid.CreateVersion7(),
            TillId = till.Id,
            CooperativeId = till.CooperativeId,
            Status = TillSessionStatus.Open,
            OpenedBy = by,
            OpenedAt = now,
            FloatRupiah = floatRupiah,
        };
    }

    /// <summary>
    /// A walk-in sale joins this session: its cash (or, by QRIS, its count). Returns the movement for cash, else null.
    /// A session already closed takes it as a late sale; <paramref name="late"/> says whether it was.
    /// </summary>
    public TillMovement? TakeSale(Guid orderId, bool cash, long totalRupiah, string by, DateTimeOffset now, out bool late)
    {
        late = Status == TillSessionStatus.Closed;
        if (late)
        {
            LateSalesCount++;
        }

        if (!cash)
        {
            QrisSalesRupiah += totalRupiah;
            QrisSalesCount++;
            return null;
        }

        CashSalesRupiah += totalRupiah;
        CashSalesCount++;
        if (late)
        {
            Redifference(by, now);
        }

        return TillMovement.Of(this, TillMovementKind.Sale, totalRupiah, null, orderId, null, by, now);
    }

    /// <summary>
    /// Cash taken at the kiosk for an order placed online to be paid at the kiosk: it goes into this (open) session's
    /// drawer, counted apart from walk-in sales, so closing expects it and a correct count shows no difference. (Booked once as the
    /// order's payment; left out of the session, the count would show it as a surplus and book it again.)
    /// </summary>
    public TillMovement TakeKioskPayment(Guid orderId, long totalRupiah, string by, DateTimeOffset now)
    {
        RequireOpen();
        KioskPaymentsRupiah += totalRupiah;
        KioskPaymentsCount++;
        return TillMovement.Of(this, TillMovementKind.OrderPaid, totalRupiah, null, orderId, null, by, now);
    }

    /// <summary>Returned goods refunded in cash from this (open) session's drawer.</summary>
    public TillMovement PayRefund(Guid orderId, Guid refundId, long amountRupiah, string by, DateTimeOffset now)
    {
        RequireOpen();
        if (amountRupiah > ExpectedCashRupiah)
        {
            throw new DomainException($"The drawer should hold {ExpectedCashRupiah} rupiah, less than the {amountRupiah} to refund.", "not_enough_cash");
        }

        CashRefundsRupiah += amountRupiah;
        RefundsCount++;
        return TillMovement.Of(this, TillMovementKind.Refund, -amountRupiah, null, orderId, refundId, by, now);
    }

    /// <summary>Cash put in or taken out with a reason; owes <see cref="TillCashMoved"/> so the books follow.</summary>
    public TillMovement MoveCash(long amountRupiah, bool intoTill, string reason, string by, DateTimeOffset now)
    {
        RequireOpen();
        var errors = new FieldErrors();
        if (amountRupiah <= 0 || amountRupiah > 100_000_000)
        {
            errors.Add("amountRupiah", "invalid_amount", "The amount is more than 0 rupiah.");
        }
        else if (!intoTill && amountRupiah > ExpectedCashRupiah)
        {
            errors.Add("amountRupiah", "not_enough_cash", $"The drawer should hold {ExpectedCashRupiah} rupiah: no more can be taken out.");
        }

        var why = reason?.Trim() ?? string.Empty;
        if (why.Length is 0 or > 200)
        {
            errors.Add("reason", "reason_required", "Say why the cash moved (up to 200 characters).");
        }

        errors.ThrowIfAny();
        if (intoTill)
        {
            PaidInRupiah += amountRupiah;
        }
        else
        {
            PaidOutRupiah += amountRupiah;
        }

        var movement = TillMovement.Of(this, intoTill ? TillMovementKind.PaidIn : TillMovementKind.PaidOut, intoTill ? amountRupiah : -amountRupiah, why, null, null, by, now);
        Owe(new TillCashMoved(movement.Id, CooperativeId, Id, movement.AmountRupiah, why, by, now), Id.ToString());
        return movement;
    }

    /// <summary>
    /// Closes the session with the cash counted: the difference is published (revision 1), and one above
    /// <paramref name="reviewThresholdRupiah"/> either way waits for an admin's review.
    /// </summary>
    public void Close(long countedRupiah, string? note, long reviewThresholdRupiah, string by, DateTimeOffset now)
    {
        RequireOpen();
        var errors = new FieldErrors();
        if (countedRupiah is < 0 or > 1_000_000_000)
        {
            errors.Add("countedRupiah", "invalid_amount", "The cash counted is 0 rupiah or more.");
        }

        var said = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        if (said is { Length: > 300 })
        {
            errors.Add("note", "note_too_long", "A note has at most 300 characters.");
        }

        errors.ThrowIfAny();
        Status = TillSessionStatus.Closed;
        ClosedBy = by;
        ClosedAt = now;
        CountedRupiah = countedRupiah;
        CloseNote = said;
        ReviewThresholdRupiah = reviewThresholdRupiah;
        DifferenceRupiah = countedRupiah - ExpectedCashRupiah;
        DifferenceRevision = 1;
        AwaitsReview = Math.Abs(DifferenceRupiah.Value) > reviewThresholdRupiah;
        Owe(new TillDifferenceRecorded(Id, CooperativeId, DifferenceRevision, DifferenceRupiah.Value, CloseNote, by, now), Id.ToString());
    }

    /// <summary>An admin has looked at a difference above the threshold.</summary>
    public void Review(string? note, string by, DateTimeOffset now)
    {
        if (!AwaitsReview)
        {
            throw new ConflictException("This till session does not await a review.", "no_review_pending");
        }

        var said = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        if (said is { Length: > 300 })
        {
            throw new ValidationFailedException([new FieldError("note", "note_too_long", "A note has at most 300 characters.")]);
        }

        AwaitsReview = false;
        ReviewedBy = by;
        ReviewedAt = now;
        ReviewNote = said;
    }

    /// <summary>A late cash sale raised the cash expected of a closed session: the difference as it now stands, once more.</summary>
    private void Redifference(string by, DateTimeOffset now)
    {
        DifferenceRupiah = CountedRupiah!.Value - ExpectedCashRupiah;
        DifferenceRevision++;
        // Reviewed once, it stays reviewed; not yet, it is judged again by the threshold of its closing.
        if (ReviewedAt is null)
        {
            AwaitsReview = Math.Abs(DifferenceRupiah.Value) > ReviewThresholdRupiah;
        }

        Owe(new TillDifferenceRecorded(Id, CooperativeId, DifferenceRevision, DifferenceRupiah.Value, CloseNote, by, now), Id.ToString());
    }

    private void RequireOpen()
    {
        if (Status != TillSessionStatus.Open)
        {
            throw new ConflictException("This till session is closed.", "till_closed");
        }
    }
}

internal sealed class TillSessionConfiguration : IEntityTypeConfiguration<TillSession>
{
    public void Configure(EntityTypeBuilder<TillSession> builder)
    {
        builder.ToTable("till_sessions");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Status).HasConversion<string>().HasMaxLength(10);
        builder.Property(s => s.OpenedBy).HasMaxLength(60);
        builder.Property(s => s.ClosedBy).HasMaxLength(60);
        builder.Property(s => s.ReviewedBy).HasMaxLength(60);
        builder.Property(s => s.CloseNote).HasMaxLength(300);
        builder.Property(s => s.ReviewNote).HasMaxLength(300);
        builder.Ignore(s => s.ExpectedCashRupiah);
        // One open session per till: two clerks opening the same till at once cannot both succeed.
        builder.HasIndex(s => s.TillId).IsUnique().HasFilter("status = 'Open'").HasDatabaseName("ix_till_sessions_one_open_per_till");
        builder.HasIndex(s => new { s.CooperativeId, s.OpenedAt });
        builder.Property(s => s.Version).IsRowVersion();
    }
}
