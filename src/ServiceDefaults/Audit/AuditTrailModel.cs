using Microsoft.EntityFrameworkCore;

namespace Marketplace.ServiceDefaults.Audit;

public static class AuditTrailModel
{
    /// <summary>Adds the audit table to a service's model, in its default schema. Its migration must also run <see cref="AuditTrailSql.Install"/>.</summary>
    public static ModelBuilder AddAuditTrail(this ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.Entity<AuditEntry>(b =>
        {
            b.ToTable(AuditTrailSql.Table);
            b.HasKey(e => e.Id);
            // Numbered, linked and hashed by the database's trigger: the service never writes these, only reads them back.
            b.Property(e => e.Sequence).ValueGeneratedOnAdd().HasDefaultValue(0L);
            b.Property(e => e.PreviousHash).HasMaxLength(64).ValueGeneratedOnAdd().HasDefaultValue(string.Empty);
            b.Property(e => e.Hash).HasMaxLength(64).ValueGeneratedOnAdd().HasDefaultValue(string.Empty);
            b.HasIndex(e => e.Sequence).IsUnique();
            b.Property(e => e.ActorName).HasMaxLength(200);
            b.Property(e => e.ActorRole).HasMaxLength(200);
            b.Property(e => e.ClientAddress).HasMaxLength(64);
            b.Property(e => e.Action).HasMaxLength(80);
            b.Property(e => e.SubjectType).HasMaxLength(80);
            b.Property(e => e.SubjectId).HasMaxLength(200);
            b.Property(e => e.Before).HasColumnType("jsonb");
            b.Property(e => e.After).HasColumnType("jsonb");
            b.Property(e => e.Reason).HasMaxLength(1000);
            // An admin reads her cooperative's trail newest first.
            b.HasIndex(e => new { e.CooperativeId, e.Sequence });
        });
        return modelBuilder;
    }
}
