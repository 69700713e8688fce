using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Orders.Settlement.Ledger;

internal sealed class CooperativeSettingsConfiguration : IEntityTypeConfiguration<CooperativeSettings>
{
    public void Configure(EntityTypeBuilder<CooperativeSettings> builder)
    {
        builder.ToTable("cooperative_settings");
        builder.HasKey(s => s.CooperativeId);
        builder.Property(s => s.CooperativeId).ValueGeneratedNever();
        builder.Ignore(s => s.Holding);
    }
}
