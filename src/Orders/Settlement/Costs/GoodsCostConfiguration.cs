using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Orders.Settlement.Costs;

internal sealed class GoodsCostConfiguration : IEntityTypeConfiguration<GoodsCost>
{
    public void Configure(EntityTypeBuilder<GoodsCost> builder)
    {
        builder.ToTable("goods_costs");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Kind).HasConversion<string>().HasMaxLength(10);
        // An order's size is taken off the shelf once and put back at most once (or once per counter refund): a message
        // that slips past the inbox (a second publication under a new id) cannot count its cost twice.
        builder.HasIndex(c => new { c.OrderId, c.VariantId, c.Kind, c.RefundId }).IsUnique();
        builder.HasIndex(c => new { c.CooperativeId, c.MemberId, c.SoldAt });
    }
}
