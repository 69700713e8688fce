using Marketplace.ServiceDefaults.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Orders.RefundAggregate;

internal sealed class RefundConfiguration : IEntityTypeConfiguration<Refund>
{
    public void Configure(EntityTypeBuilder<Refund> builder)
    {
        builder.ToTable("refunds");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.RequestKey).HasMaxLength(100);
        builder.HasIndex(r => new { r.OrderId, r.RequestKey }).IsUnique();
        // Stored as it always was, in lower case ("card", "cash", "ewallet").
        builder.Property(r => r.Method).HasMaxLength(10)
            .HasConversion(
                m => m == RefundMethod.Card ? "card" : m == RefundMethod.Ewallet ? "ewallet" : "cash",
                s => s == "card" ? RefundMethod.Card : s == "ewallet" ? RefundMethod.Ewallet : RefundMethod.Cash);
        builder.Property(r => r.Lines).HasJsonConversion();
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(10);
        builder.Property(r => r.StripeRefundId).HasMaxLength(100);
        builder.Property(r => r.FailureReason).HasMaxLength(300);
        builder.Property(r => r.Version).IsRowVersion();
    }
}
