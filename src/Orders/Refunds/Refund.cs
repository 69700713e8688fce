using Marketplace.Contracts.Orders;
using Marketplace.ServiceDefaults.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Orders.Refunds;

public enum RefundStatus
{
    /// <summary>Reserved on the order; Stripe not yet (or not known to have) refunded it.</summary>
    Pending,
    Succeeded,
    Failed,
}

/// <summary>
/// One refund of an order: written before Stripe is asked (its id is Stripe's idempotency key), so a crash or a
/// retried request resumes the same refund instead of making a second.
/// </summary>
public sealed class Refund
{
    private Refund()
    {
    }

    public Guid Id { get; private set; }

    public Guid OrderId { get; private set; }

    public Guid CooperativeId { get; private set; }

    /// <summary>The caller's Idempotency-Key: the same key on the same order is the same refund.</summary>
    public string RequestKey { get; private set; } = string.Empty;

    /// <summary><c>card</c> (through Stripe) or <c>cash</c> (given back at the kiosk).</summary>
    public string Method { get; private set; } = string.Empty;

    public List<RefundedLine> Lines { get; private set; } = [];

    public long ShippingRupiah { get; private set; }

    public long TotalRupiah { get; private set; }

    public RefundStatus Status { get; private set; }

    public string? StripeRefundId { get; private set; }

    public string? FailureReason { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? CompletedAt { get; private set; }

    public static Refund Start(Guid orderId, Guid cooperativeId, string requestKey, string method, List<RefundedLine> lines, long shipping, long total, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(),
        OrderId = orderId,
        CooperativeId = cooperativeId,
        RequestKey = requestKey,
        Method = method,
        Lines = lines,
        ShippingRupiah = shipping,
        TotalRupiah = total,
        Status = RefundStatus.Pending,
        CreatedAt = now,
    };

    /// <summary>Only for a refund settled on the spot (cash at the kiosk).</summary>
    public OrderRefunded Succeed(string? stripeRefundId, DateTimeOffset now)
    {
        Status = RefundStatus.Succeeded;
        StripeRefundId = stripeRefundId;
        CompletedAt = now;
        return new OrderRefunded(OrderId, CooperativeId, Id, Method, Lines, ShippingRupiah, TotalRupiah, now);
    }
}

internal sealed class RefundConfiguration : IEntityTypeConfiguration<Refund>
{
    public void Configure(EntityTypeBuilder<Refund> builder)
    {
        builder.ToTable("refunds");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.RequestKey).HasMaxLength(100);
        builder.HasIndex(r => new { r.OrderId, r.RequestKey }).IsUnique();
        builder.Property(r => r.Method).HasMaxLength(10);
        builder.Property(r => r.Lines).HasJsonConversion();
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(10);
        builder.Property(r => r.StripeRefundId).HasMaxLength(100);
        builder.Property(r => r.FailureReason).HasMaxLength(300);
    }
}
