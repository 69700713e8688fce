using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Orders.Settlement.Cooperatives;

internal sealed class SettlementCooperativeConfiguration : IEntityTypeConfiguration<SettlementCooperative>
{
    public void Configure(EntityTypeBuilder<SettlementCooperative> builder)
    {
        builder.ToTable("cooperatives");
        builder.HasKey(c => c.CooperativeId);
        builder.Property(c => c.CooperativeId).ValueGeneratedNever();
        builder.Property(c => c.TimeZone).HasMaxLength(60);
    }
}
