using Marketplace.ServiceDefaults.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Notifications.Deliveries;

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> builder)
    {
        builder.ToTable("notifications");
        builder.HasKey(n => n.Id);
        builder.Property(n => n.Recipient).HasMaxLength(80);
        builder.HasIndex(n => new { n.SourceMessageId, n.Recipient, n.Template }).IsUnique();
        builder.Property(n => n.Template).HasMaxLength(80);
        builder.Property(n => n.Language).HasMaxLength(2);
        builder.Property(n => n.Channel).HasConversion<string>().HasMaxLength(10);
        builder.Property(n => n.Address).HasMaxLength(254);
        builder.Property(n => n.Parameters).HasJsonConversion();
        builder.Property(n => n.Status).HasConversion<string>().HasMaxLength(10);
        builder.Property(n => n.ProviderMessageId).HasMaxLength(200);
        builder.HasIndex(n => n.ProviderMessageId);
        builder.Property(n => n.LastError).HasMaxLength(300);
        // The dispatcher's claim: due messages, oldest first.
        builder.HasIndex(n => n.NextAttemptAt).HasFilter("status = 'Pending'").HasDatabaseName("ix_notifications_due");
        builder.HasIndex(n => new { n.CooperativeId, n.CreatedAt });
    }
}
