using System.Globalization;

namespace Marketplace.ServiceDefaults.Formatting;

/// <summary>A currency a visitor may see approximate prices in: its ISO code, its sign, and how many decimals it is written with.</summary>
public sealed record ForeignCurrency(string Code, string Symbol, int Decimals, string NameId, string NameEn);

/// <summary>
/// The currencies a visitor may choose for approximate prices, and the conversion from whole rupiah at a rate the
/// platform admin set (rupiah per unit). The marketplace charges only rupiah: an approximation is a guide, so a rate
/// older than <see cref="MaxRateAge"/> is not used at all rather than shown stale.
/// </summary>
public static class ForeignCurrencies
{
    public static readonly TimeSpan MaxRateAge = TimeSpan.FromDays(30);

    // Built by hand, as Rupiah's is, so the separators do not depend on the machine's ICU data.
    private static readonly NumberFormatInfo EnglishNumbers = new() { NumberGroupSeparator = ",", NumberDecimalSeparator = ".", NumberGroupSizes = [3] };
    private static readonly NumberFormatInfo IndonesianNumbers = new() { NumberGroupSeparator = ".", NumberDecimalSeparator = ",", NumberGroupSizes = [3] };

    public static IReadOnlyList<ForeignCurrency> All { get; } =
    [
        new("USD", "US$", 2, "Dolar Amerika Serikat", "US dollar"),
        new("EUR", "€", 2, "Euro", "Euro"),
        new("AUD", "A$", 2, "Dolar Australia", "Australian dollar"),
        new("SGD", "S$", 2, "Dolar Singapura", "Singapore dollar"),
        new("MYR", "RM", 2, "Ringgit Malaysia", "Malaysian ringgit"),
        new("CNY", "CN¥", 2, "Yuan Tiongkok", "Chinese yuan"),
        // The yen has no minor unit in use: prices are whole yen.
        new("JPY", "¥", 0, "Yen Jepang", "Japanese yen"),
    ];

    public static ForeignCurrency? Find(string? code) =>
        All.FirstOrDefault(c => string.Equals(c.Code, code?.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether a rate set at <paramref name="setAt"/> may still be shown at <paramref name="now"/>.</summary>
    public static bool IsFresh(DateTimeOffset setAt, DateTimeOffset now) => now - setAt <= MaxRateAge;

    /// <summary>Whole rupiah in the currency, rounded half away from zero to the currency's decimals.</summary>
    public static decimal Convert(long rupiah, ForeignCurrency currency, decimal rupiahPerUnit)
    {
        ArgumentNullException.ThrowIfNull(currency);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rupiahPerUnit);
        return Math.Round(rupiah / rupiahPerUnit, currency.Decimals, MidpointRounding.AwayFromZero);
    }

    /// <summary>
    /// "≈ US$ 1.25" (English separators) or "≈ US$ 1,25" (Indonesian); an amount too small to show in the currency's
    /// smallest unit reads "&lt; US$ 0.01", never a price of zero.
    /// </summary>
    public static string Approximate(long rupiah, ForeignCurrency currency, decimal rupiahPerUnit, bool english)
    {
        ArgumentNullException.ThrowIfNull(currency);
        var culture = english ? EnglishNumbers : IndonesianNumbers;
        var format = "N" + currency.Decimals.ToString(CultureInfo.InvariantCulture);
        var amount = Convert(rupiah, currency, rupiahPerUnit);
        if (amount == 0 && rupiah > 0)
        {
            var smallest = currency.Decimals == 0 ? 1m : 1m / (decimal)Math.Pow(10, currency.Decimals);
            return "< " + currency.Symbol + " " + smallest.ToString(format, culture);
        }

        return "≈ " + currency.Symbol + " " + amount.ToString(format, culture);
    }
}
