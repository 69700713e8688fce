using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Orders.Merchants;

/// <summary>
/// Orders' own copy of a cooperative, the merchant of record a basket is paid to. Built from Catalog's
/// messages, so checking out never has to call Catalog.
/// </summary>
public sealed class Merchant
{
    private Merchant()
    {
    }

    public Guid CooperativeId { get; private set; }

    public string Slug { get; private set; } = string.Empty;

    public string Name { get; private set; } = string.Empty;

    public decimal FeePercent { get; private set; }

    public DateTimeOffset RegisteredAt { get; private set; }

    public static Merchant Register(Guid cooperativeId, string slug, string name, decimal feePercent, DateTimeOffset registeredAt) =>
        new()
        {
            CooperativeId = cooperativeId,
            Slug = slug,
            Name = name,
            FeePercent = feePercent,
            RegisteredAt = registeredAt,
        };

    public void Rename(string name) => Name = name;
}

internal sealed class MerchantConfiguration : IEntityTypeConfiguration<Merchant>
{
    public void Configure(EntityTypeBuilder<Merchant> builder)
    {
        builder.HasKey(m => m.CooperativeId);
        builder.Property(m => m.CooperativeId).ValueGeneratedNever();
        builder.Property(m => m.Slug).HasMaxLength(60);
        builder.Property(m => m.Name).HasMaxLength(120);
        builder.Property(m => m.FeePercent).HasPrecision(5, 2);
    }
}
