using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Orders.Tills;

/// <summary>A cash drawer at the cooperative's kiosk. A cooperative starts with one, "Kios"; its admins may add more.</summary>
public sealed class Till
{
    /// <summary>The till every cooperative has from its first sale on.</summary>
    public const string DefaultName = "Kios";

    private Till()
    {
    }

    public Guid Id { get; private set; }

    public Guid CooperativeId { get; private set; }

    public string Name { get; private set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; private set; }

    public static Till Create(Guid cooperativeId, string name, DateTimeOffset now)
    {
        var trimmed = name?.Trim() ?? string.Empty;
        if (trimmed.Length is 0 or > 40)
        {
            throw new Marketplace.ServiceDefaults.Errors.DomainException("A till's name has 1 to 40 characters.", "invalid_name");
        }

        return new Till { Id = Guid.CreateVersion7(), CooperativeId = cooperativeId, Name = trimmed, CreatedAt = now };
    }
}

internal sealed class TillConfiguration : IEntityTypeConfiguration<Till>
{
    public void Configure(EntityTypeBuilder<Till> builder)
    {
        builder.ToTable("tills");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Name).HasMaxLength(40);
        // Two clerks opening the sale screen at once create "Kios" once.
        builder.HasIndex(t => new { t.CooperativeId, t.Name }).IsUnique();
    }
}
