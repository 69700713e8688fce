using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Orders.Settlement.Payouts;

internal sealed class PayoutWaitingConfiguration : IEntityTypeConfiguration<PayoutWaiting>
{
    public void Configure(EntityTypeBuilder<PayoutWaiting> builder)
    {
        builder.ToTable("payout_waiting");
        builder.HasKey(w => new { w.BatchId, w.MemberId });
        builder.Property(w => w.Reason).HasMaxLength(30);
    }
}
