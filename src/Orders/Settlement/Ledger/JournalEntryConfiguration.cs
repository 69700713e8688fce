using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Orders.Settlement.Ledger;

internal sealed class JournalEntryConfiguration : IEntityTypeConfiguration<JournalEntry>
{
    public void Configure(EntityTypeBuilder<JournalEntry> builder)
    {
        builder.ToTable("journal_entries");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Source).HasMaxLength(200);
        builder.HasIndex(e => e.Source).IsUnique();
        builder.Property(e => e.Kind).HasMaxLength(20);
        builder.Property(e => e.Memo).HasMaxLength(300);
        builder.HasMany(e => e.Lines).WithOne().HasForeignKey(l => l.EntryId);
    }
}
