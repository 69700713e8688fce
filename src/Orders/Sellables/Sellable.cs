using Marketplace.Contracts.Catalog;
using Marketplace.ServiceDefaults.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Orders.Sellables;

/// <summary>
/// Orders' own copy of a product as Catalog last published it: what a basket may hold and at what price,
/// so that checking out never calls Catalog. Each change carries Catalog's revision; older ones are ignored,
/// whatever order they arrive in.
/// </summary>
public sealed class Sellable
{
    private Sellable()
    {
    }

    public Guid ProductId { get; private set; }

    public Guid CooperativeId { get; private set; }

    public Guid MemberId { get; private set; }

    public string Category { get; private set; } = string.Empty;

    public string NameId { get; private set; } = string.Empty;

    public string? NameEn { get; private set; }

    public string? ImageUrl { get; private set; }

    public List<VariantSnapshot> Variants { get; private set; } = [];

    public bool OnSale { get; private set; }

    public long Revision { get; private set; }

    public static Sellable Unknown(Guid productId, Guid cooperativeId) => new() { ProductId = productId, CooperativeId = cooperativeId };

    /// <summary>Applies a snapshot unless a newer one was already applied.</summary>
    public bool Apply(ProductSnapshot snapshot, bool onSale)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (snapshot.Revision <= Revision)
        {
            return false;
        }

        CooperativeId = snapshot.CooperativeId;
        MemberId = snapshot.MemberId;
        Category = snapshot.Category;
        NameId = snapshot.NameId;
        NameEn = snapshot.NameEn;
        ImageUrl = snapshot.ImageUrl;
        Variants = snapshot.Variants.ToList();
        OnSale = onSale;
        Revision = snapshot.Revision;
        return true;
    }

    /// <summary>Takes the product off sale unless a newer publication was already applied.</summary>
    public bool Withdraw(long revision)
    {
        if (revision <= Revision)
        {
            return false;
        }

        OnSale = false;
        Revision = revision;
        return true;
    }
}

internal sealed class SellableConfiguration : IEntityTypeConfiguration<Sellable>
{
    public void Configure(EntityTypeBuilder<Sellable> builder)
    {
        builder.HasKey(s => s.ProductId);
        builder.Property(s => s.ProductId).ValueGeneratedNever();
        builder.Property(s => s.Category).HasMaxLength(40);
        builder.Property(s => s.NameId).HasMaxLength(120);
        builder.Property(s => s.NameEn).HasMaxLength(120);
        builder.Property(s => s.ImageUrl).HasMaxLength(200);
        builder.Property(s => s.Variants).HasJsonConversion();
        builder.HasIndex(s => new { s.CooperativeId, s.OnSale });
    }
}
