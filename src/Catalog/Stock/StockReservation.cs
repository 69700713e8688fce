using Marketplace.Contracts.Orders;
using Marketplace.ServiceDefaults.Errors;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Catalog.Stock;

public enum ReservationStatus
{
    Held,
    Refused,
    Confirmed,
    Released,
    Expired,
    ConfirmationFailed,

    /// <summary>Confirmed, then the paid order was cancelled and its goods went back on the shelf.</summary>
    Restocked,
}

/// <summary>
/// Stock held for one order, keyed by the order id: a repeated request for the same order finds it and
/// answers the same way instead of holding the stock twice. It is held, then closed once: confirmed (paid),
/// released (cancelled) or expired (nobody paid in time); a hold that lapsed can still be confirmed late if the
/// stock is still there, else its confirmation failed. Moving the stock itself is <see cref="StockLedger"/>'s.
/// </summary>
public sealed class StockReservation
{
    private readonly List<StockReservationLine> _lines = [];

    private StockReservation(Guid orderId, Guid cooperativeId, ReservationStatus status, DateTimeOffset expiresAt, DateTimeOffset createdAt)
    {
        OrderId = orderId;
        CooperativeId = cooperativeId;
        Status = status;
        ExpiresAt = expiresAt;
        CreatedAt = createdAt;
    }

    public Guid OrderId { get; private set; }

    public Guid CooperativeId { get; private set; }

    public ReservationStatus Status { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? ClosedAt { get; private set; }

    public IReadOnlyList<StockReservationLine> Lines => _lines;

    /// <summary>A hold on the order's lines, one line per variant, until <paramref name="expiresAt"/>.</summary>
    public static StockReservation Hold(Guid orderId, Guid cooperativeId, IEnumerable<StockLine> lines, DateTimeOffset expiresAt, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(lines);
        if (expiresAt <= now)
        {
            throw new ConflictException("A hold that has already expired cannot be taken.", "illegal_transition");
        }

        var reservation = new StockReservation(orderId, cooperativeId, ReservationStatus.Held, expiresAt, now);
        reservation._lines.AddRange(lines.GroupBy(l => l.VariantId).Select(g => new StockReservationLine(orderId, g.Key, g.Sum(l => l.Quantity))));
        return reservation;
    }

    /// <summary>The answer to a request that could not be held: remembered, so a repeated request gets it again.</summary>
    public static StockReservation Refuse(Guid orderId, Guid cooperativeId, DateTimeOffset expiresAt, DateTimeOffset now) =>
        new(orderId, cooperativeId, ReservationStatus.Refused, expiresAt, now) { ClosedAt = now };

    /// <summary>A release that arrived before its reservation request: remembered, so the late request is not held.</summary>
    public static StockReservation ReleasedBeforeReserved(Guid orderId, DateTimeOffset now) =>
        new(orderId, Guid.Empty, ReservationStatus.Released, now, now) { ClosedAt = now };

    /// <summary>Whether a confirmation may still take the stock without a hold: the hold lapsed or was let go.</summary>
    public bool CanBeConfirmedLate => Status is ReservationStatus.Expired or ReservationStatus.Released;

    /// <summary>The order was paid while its stock was held.</summary>
    public void Confirm(DateTimeOffset now)
    {
        EnsureStatus(ReservationStatus.Held, "confirmed");
        Close(ReservationStatus.Confirmed, now);
    }

    /// <summary>The order was paid after its hold lapsed, and the stock was still there.</summary>
    public void ConfirmLate(DateTimeOffset now)
    {
        EnsureLate("confirmed late");
        Close(ReservationStatus.Confirmed, now);
    }

    /// <summary>The order was paid after its hold lapsed, and the stock was gone meanwhile.</summary>
    public void FailConfirmation(DateTimeOffset now)
    {
        EnsureLate("failed");
        Close(ReservationStatus.ConfirmationFailed, now);
    }

    /// <summary>
    /// The order was paid while its stock was held, but goods the hold counted on expired meanwhile and cannot be sold
    /// online; the hold is let go.
    /// </summary>
    public void FailHeldConfirmation(DateTimeOffset now)
    {
        EnsureStatus(ReservationStatus.Held, "failed");
        Close(ReservationStatus.ConfirmationFailed, now);
    }

    /// <summary>The order was cancelled while its stock was held.</summary>
    public void Release(DateTimeOffset now)
    {
        EnsureStatus(ReservationStatus.Held, "released");
        Close(ReservationStatus.Released, now);
    }

    /// <summary>The paid order was cancelled: its goods are back on the shelf. Only once.</summary>
    public void Restock(DateTimeOffset now)
    {
        EnsureStatus(ReservationStatus.Confirmed, "restocked");
        Close(ReservationStatus.Restocked, now);
    }

    /// <summary>Nobody paid before the hold's end.</summary>
    public void Expire(DateTimeOffset now)
    {
        EnsureStatus(ReservationStatus.Held, "expired");
        if (now < ExpiresAt)
        {
            throw new ConflictException($"This hold runs until {ExpiresAt:O}; it cannot expire before.", "illegal_transition");
        }

        Close(ReservationStatus.Expired, now);
    }

    private void EnsureStatus(ReservationStatus expected, string step)
    {
        if (Status != expected)
        {
            throw new ConflictException($"A reservation that is {Status} cannot be {step}.", "illegal_transition");
        }
    }

    private void EnsureLate(string step)
    {
        if (!CanBeConfirmedLate)
        {
            throw new ConflictException($"A reservation that is {Status} cannot be {step}.", "illegal_transition");
        }
    }

    private void Close(ReservationStatus status, DateTimeOffset now)
    {
        Status = status;
        ClosedAt = now;
    }
}

public sealed class StockReservationLine(Guid orderId, Guid variantId, int quantity)
{
    public Guid OrderId { get; private set; } = orderId;

    public Guid VariantId { get; private set; } = variantId;

    public int Quantity { get; private set; } = quantity;
}

internal sealed class StockReservationConfiguration : IEntityTypeConfiguration<StockReservation>
{
    public void Configure(EntityTypeBuilder<StockReservation> builder)
    {
        builder.ToTable("stock_reservations");
        builder.HasKey(r => r.OrderId);
        builder.Property(r => r.OrderId).ValueGeneratedNever();
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(24);
        builder.HasIndex(r => r.ExpiresAt).HasFilter("status = 'Held'").HasDatabaseName("ix_stock_reservations_held_expiry");
        builder.HasMany(r => r.Lines).WithOne().HasForeignKey(l => l.OrderId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class StockReservationLineConfiguration : IEntityTypeConfiguration<StockReservationLine>
{
    public void Configure(EntityTypeBuilder<StockReservationLine> builder)
    {
        builder.ToTable("stock_reservation_lines", t => t.HasCheckConstraint("ck_reservation_lines_quantity", "quantity > 0"));
        builder.HasKey(l => new { l.OrderId, l.VariantId });
        builder.HasOne<Products.ProductVariant>().WithMany().HasForeignKey(l => l.VariantId).OnDelete(DeleteBehavior.Restrict);
    }
}
