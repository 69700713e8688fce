using Marketplace.Contracts.Catalog;
using Marketplace.ServiceDefaults.Data;
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

    public bool Active { get; private set; } = true;

    public decimal FeePercent { get; private set; }

    public Dictionary<string, decimal> CategoryFeePercents { get; private set; } = [];

    public string TimeZone { get; private set; } = "Asia/Jakarta";

    public List<OpeningHours> KioskOpeningHours { get; private set; } = [];

    /// <summary>Catalog's revision of the cooperative this copy reflects; older updates are ignored.</summary>
    public long Revision { get; private set; }

    public DateTimeOffset RegisteredAt { get; private set; }

    public static Merchant Register(CooperativeRegistered registered)
    {
        ArgumentNullException.ThrowIfNull(registered);
        return new Merchant
        {
            CooperativeId = registered.CooperativeId,
            Slug = registered.Slug,
            Name = registered.Name,
            FeePercent = registered.FeePercent,
            RegisteredAt = registered.RegisteredAt,
            Revision = 1,
        };
    }

    public static Merchant From(CooperativeUpdated updated)
    {
        ArgumentNullException.ThrowIfNull(updated);
        var merchant = new Merchant { CooperativeId = updated.CooperativeId, RegisteredAt = updated.UpdatedAt };
        merchant.Apply(updated);
        return merchant;
    }

    /// <summary>Applies an update unless this copy already reflects a newer one.</summary>
    public bool Apply(CooperativeUpdated updated)
    {
        ArgumentNullException.ThrowIfNull(updated);
        if (updated.Revision <= Revision)
        {
            return false;
        }

        Slug = updated.Slug;
        Name = updated.Name;
        Active = updated.Active;
        FeePercent = updated.FeePolicy.DefaultPercent;
        CategoryFeePercents = new Dictionary<string, decimal>(updated.FeePolicy.CategoryPercents);
        TimeZone = updated.TimeZone;
        KioskOpeningHours = updated.KioskOpeningHours.ToList();
        Revision = updated.Revision;
        return true;
    }
}

internal sealed class MerchantConfiguration : IEntityTypeConfiguration<Merchant>
{
    public void Configure(EntityTypeBuilder<Merchant> builder)
    {
        builder.HasKey(m => m.CooperativeId);
        builder.Property(m => m.CooperativeId).ValueGeneratedNever();
        builder.Property(m => m.Slug).HasMaxLength(60);
        builder.Property(m => m.Name).HasMaxLength(120);
        builder.Property(m => m.TimeZone).HasMaxLength(60);
        builder.Property(m => m.FeePercent).HasPrecision(5, 2);
        builder.Property(m => m.CategoryFeePercents).HasJsonConversion();
        builder.Property(m => m.KioskOpeningHours).HasJsonConversion();
    }
}
