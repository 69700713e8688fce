using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Orders.Settlement.Payouts;

internal sealed class SettlementMemberConfiguration : IEntityTypeConfiguration<SettlementMember>
{
    public void Configure(EntityTypeBuilder<SettlementMember> builder)
    {
        builder.ToTable("members");
        builder.HasKey(m => m.MemberId);
        builder.Property(m => m.DisplayName).HasMaxLength(80);
        builder.Property(m => m.Status).HasMaxLength(20);
        builder.HasIndex(m => m.CooperativeId);
    }
}
