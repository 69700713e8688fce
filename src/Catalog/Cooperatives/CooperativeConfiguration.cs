using Marketplace.ServiceDefaults.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Catalog.Cooperatives;

internal sealed class CooperativeConfiguration : IEntityTypeConfiguration<Cooperative>
{
    public void Configure(EntityTypeBuilder<Cooperative> builder)
    {
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.Slug).HasMaxLength(60);
        builder.HasIndex(c => c.Slug).IsUnique();
        builder.Property(c => c.Name).HasMaxLength(120);
        builder.Property(c => c.Story).HasMaxLength(4000);
        builder.Property(c => c.KioskLocation).HasMaxLength(300);
        builder.Property(c => c.WhatsApp).HasMaxLength(20);
        builder.Property(c => c.TimeZone).HasMaxLength(60);
        builder.Property(c => c.KioskOpeningHours).HasJsonConversion();
        builder.Property(c => c.CategoryFeePercents).HasJsonConversion();
        builder.Property(c => c.FeePercent).HasPrecision(5, 2);
        builder.Property(c => c.ExpiryWarningDays).HasDefaultValue(Cooperative.DefaultExpiryWarningDays);
        builder.Property(c => c.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(c => c.Version).IsRowVersion();
    }
}
