using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Catalog.Members;

internal sealed class MemberConfiguration : IEntityTypeConfiguration<Member>
{
    public void Configure(EntityTypeBuilder<Member> builder)
    {
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Id).ValueGeneratedNever();
        builder.HasIndex(m => m.CooperativeId);
        builder.HasOne<Cooperatives.Cooperative>().WithMany().HasForeignKey(m => m.CooperativeId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(m => m.DisplayName).HasMaxLength(80);
        builder.Property(m => m.Slug).HasMaxLength(MemberSlugs.MaxLength);
        // One public address per maker across every cooperative: /pembuat/{slug}.
        builder.HasIndex(m => m.Slug).IsUnique();
        builder.Property(m => m.BusinessName).HasMaxLength(120);
        builder.Property(m => m.Village).HasMaxLength(80);
        builder.Property(m => m.Story).HasMaxLength(2000);
        builder.Property(m => m.WhatsApp).HasMaxLength(20);
        builder.Property(m => m.PhotoHash).HasMaxLength(64);
        builder.Property(m => m.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(m => m.Version).IsRowVersion();
        // Search marks the cards of makers away: only the few with a holiday planned are in this index.
        builder.HasIndex(m => m.AwayUntil).HasFilter("away_until IS NOT NULL");
    }
}
