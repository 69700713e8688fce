using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Orders.Settlement.Payouts;

internal sealed class PayoutBatchConfiguration : IEntityTypeConfiguration<PayoutBatch>
{
    public void Configure(EntityTypeBuilder<PayoutBatch> builder)
    {
        builder.ToTable("payout_batches");
        builder.HasKey(b => b.Id);
        builder.Property(b => b.Status).HasConversion<string>().HasMaxLength(10);
        builder.Property(b => b.Version).IsRowVersion();
        builder.Ignore(b => b.TotalRupiah);
        builder.HasMany(b => b.Lines).WithOne().HasForeignKey(l => l.BatchId);
        builder.HasMany(b => b.Waiting).WithOne().HasForeignKey(w => w.BatchId);
        builder.HasIndex(b => b.CooperativeId);
    }
}
