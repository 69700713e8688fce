using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Orders.Disputes;

internal sealed class OrderDisputeConfiguration : IEntityTypeConfiguration<OrderDispute>
{
    public void Configure(EntityTypeBuilder<OrderDispute> builder)
    {
        builder.ToTable("order_disputes");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Id).HasMaxLength(100);
        builder.Property(d => d.StripeAccountId).HasMaxLength(64);
        builder.Property(d => d.ChargeId).HasMaxLength(100);
        builder.Property(d => d.Reason).HasMaxLength(60);
        builder.Property(d => d.Status).HasMaxLength(40);
        builder.HasIndex(d => d.OrderId);
        // The admins' list: a cooperative's open disputes, nearest deadline first.
        builder.HasIndex(d => new { d.CooperativeId, d.ClosedAt, d.DueBy });
        builder.Property(d => d.Version).IsRowVersion();
    }
}
