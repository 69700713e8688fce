using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Gateway.ExchangeRates;

/// <summary>
/// What one unit of a foreign currency costs in rupiah, as the platform admin last set it, and when: the storefront
/// shows visitors approximate prices from it while it is fresh. One row per currency, replaced on each change.
/// </summary>
public sealed class ExchangeRate
{
    private ExchangeRate()
    {
    }

    /// <summary>The ISO 4217 code, one of <see cref="Marketplace.ServiceDefaults.Formatting.ForeignCurrencies.All"/>.</summary>
    public string Currency { get; private set; } = string.Empty;

    public decimal RupiahPerUnit { get; private set; }

    public DateTimeOffset SetAt { get; private set; }

    public Guid SetBy { get; private set; }

    public static ExchangeRate For(string currency) => new() { Currency = currency };

    public void Set(decimal rupiahPerUnit, DateTimeOffset now, Guid by)
    {
        RupiahPerUnit = rupiahPerUnit;
        SetAt = now;
        SetBy = by;
    }
}

internal sealed class ExchangeRateConfiguration : IEntityTypeConfiguration<ExchangeRate>
{
    public void Configure(EntityTypeBuilder<ExchangeRate> builder)
    {
        builder.ToTable("exchange_rates");
        builder.HasKey(r => r.Currency);
        builder.Property(r => r.Currency).HasMaxLength(3);
        builder.Property(r => r.RupiahPerUnit).HasPrecision(18, 4);
    }
}
