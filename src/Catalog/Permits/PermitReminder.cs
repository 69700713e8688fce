using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Catalog.Permits;

/// <summary>
/// A reminder sent: the product's permit (<c>pirt</c> or <c>halal</c>) valid until that date, at that many days left.
/// Its key is what makes each reminder once only, whichever replica sweeps and however often: a renewed permit (a new
/// date) starts its reminders again.
/// </summary>
public sealed class PermitReminder
{
    public Guid ProductId { get; private set; }

    public string Permit { get; private set; } = string.Empty;

    public DateOnly ValidUntil { get; private set; }

    /// <summary>The threshold reached: 90, 30 or 0.</summary>
    public int DaysLeft { get; private set; }

    public DateTimeOffset SentAt { get; private set; }
}

internal sealed class PermitReminderConfiguration : IEntityTypeConfiguration<PermitReminder>
{
    public void Configure(EntityTypeBuilder<PermitReminder> builder)
    {
        builder.ToTable("permit_reminders");
        builder.HasKey(r => new { r.ProductId, r.Permit, r.ValidUntil, r.DaysLeft });
        builder.Property(r => r.Permit).HasMaxLength(10);
        builder.HasOne<Products.Product>().WithMany().HasForeignKey(r => r.ProductId).OnDelete(DeleteBehavior.Cascade);
    }
}
