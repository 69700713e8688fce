using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Orders.Tills;

/// <summary>What moved cash into or out of a till's drawer.</summary>
public enum TillMovementKind
{
    /// <summary>A walk-in sale paid in cash.</summary>
    Sale,

    /// <summary>An order placed online to be paid at the kiosk, paid in cash at the counter (not a walk-in sale).</summary>
    OrderPaid,

    /// <summary>Goods returned over the counter, refunded in cash.</summary>
    Refund,

    /// <summary>Cash brought in (change for the day), with a reason.</summary>
    PaidIn,

    /// <summary>Cash taken out (a purchase paid from the till), with a reason.</summary>
    PaidOut,
}

/// <summary>
/// One movement of cash in a till session's drawer: positive in, negative out. The session's totals are their sums; the
/// rows say who moved what, when and why.
/// </summary>
public sealed class TillMovement
{
    private TillMovement()
    {
    }

    public Guid Id { get; private set; }

    public Guid TillSessionId { get; private set; }

    public Guid CooperativeId { get; private set; }

    public TillMovementKind Kind { get; private set; }

    public long AmountRupiah { get; private set; }

    public string? Reason { get; private set; }

    /// <summary>The sale or returned sale it belongs to.</summary>
    public Guid? OrderId { get; private set; }

    /// <summary>The refund a returned sale's cash went out for.</summary>
    public Guid? RefundId { get; private set; }

    public string By { get; private set; } = string.Empty;

    public DateTimeOffset At { get; private set; }

    internal static TillMovement Of(TillSession session, TillMovementKind kind, long amountRupiah, string? reason, Guid? orderId, Guid? refundId, string by, DateTimeOffset at) => new()
    {
        Id = Guid.CreateVersion7(),
        TillSessionId = session.Id,
        CooperativeId = session.CooperativeId,
        Kind = kind,
        AmountRupiah = amountRupiah,
        Reason = reason,
        OrderId = orderId,
        RefundId = refundId,
        By = by,
        At = at,
    };
}

internal sealed class TillMovementConfiguration : IEntityTypeConfiguration<TillMovement>
{
    public void Configure(EntityTypeBuilder<TillMovement> builder)
    {
        builder.ToTable("till_movements");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Kind).HasConversion<string>().HasMaxLength(10);
        builder.Property(m => m.Reason).HasMaxLength(200);
        builder.Property(m => m.By).HasMaxLength(60);
        builder.HasIndex(m => new { m.TillSessionId, m.At });
        // A sale's cash enters a drawer once, a refund's leaves once, whatever is retried.
        builder.HasIndex(m => new { m.OrderId, m.Kind, m.RefundId }).IsUnique().AreNullsDistinct(false).HasFilter("order_id IS NOT NULL");
    }
}
