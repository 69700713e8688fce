using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Orders.Settlement.Costs;

internal sealed class OtherCostConfiguration : IEntityTypeConfiguration<OtherCost>
{
    public void Configure(EntityTypeBuilder<OtherCost> builder)
    {
        builder.ToTable("other_costs", t => t.HasCheckConstraint("ck_other_costs_amount_positive", "amount_rupiah > 0"));
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.Category).HasMaxLength(20);
        builder.Property(c => c.Note).HasMaxLength(OtherCostRules.MaxNote);
        builder.Property(c => c.DeletedReason).HasMaxLength(OtherCostRules.MaxNote);
        builder.Ignore(c => c.Counts);
        builder.HasIndex(c => new { c.CooperativeId, c.MemberId, c.Date });
        // Deleting and editing a cost at once cannot both win: the row changes under optimistic concurrency.
        builder.Property(c => c.Version).IsRowVersion();
    }
}
