using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Orders.Settlement.Ledger;

internal sealed class SaleLineConfiguration : IEntityTypeConfiguration<SaleLine>
{
    public void Configure(EntityTypeBuilder<SaleLine> builder)
    {
        builder.ToTable("sale_lines");
        builder.HasKey(l => l.OrderLineId);
        builder.Property(l => l.OrderLineId).ValueGeneratedNever();
        builder.HasIndex(l => l.OrderId);
        builder.HasIndex(l => new { l.CooperativeId, l.MemberId });
        builder.HasIndex(l => new { l.MemberId, l.SoldAt });
        builder.Property(l => l.Category).HasMaxLength(40);
        builder.Property(l => l.Name).HasMaxLength(200);
        // Stored as the ledger names it ("card", "cash", "qris"), as it always was.
        builder.Property(l => l.Channel).HasMaxLength(10).HasConversion(c => SaleChannels.Key(c), s => SaleChannels.FromKey(s));
        builder.Ignore(l => l.OpenShareRupiah);
        builder.Property(l => l.Version).IsRowVersion();
        builder.HasIndex(l => l.AvailableFrom).HasFilter("released_at IS NULL AND available_from IS NOT NULL");
    }
}
