using Marketplace.ServiceDefaults.Formatting;

namespace Marketplace.ServiceDefaults.Tests;

/// <summary>Approximate prices for visitors: rupiah converted at the admin's rate, rounded and written per currency.</summary>
public sealed class ForeignCurrenciesTests
{
    [Theory]
    [InlineData("USD", 25_000, "16000", true, "≈ US$ 1.56")]
    [InlineData("USD", 25_000, "16000", false, "≈ US$ 1,56")]
    [InlineData("USD", 20_000, "16000", true, "≈ US$ 1.25")]
    [InlineData("EUR", 1_750_000, "17250.50", true, "≈ € 101.45")]
    [InlineData("EUR", 1_750_000, "17250.50", false, "≈ € 101,45")]
    [InlineData("JPY", 25_000, "105.3", true, "≈ ¥ 237")]
    [InlineData("JPY", 2_500_000, "105.3", false, "≈ ¥ 23.742")]
    [InlineData("MYR", 25_000, "3550", true, "≈ RM 7.04")]
    [InlineData("SGD", 50, "12000", true, "< S$ 0.01")]
    [InlineData("SGD", 100, "12000", true, "≈ S$ 0.01")]
    [InlineData("JPY", 10, "105.3", true, "< ¥ 1")]
    public void Rupiah_are_converted_and_written_in_the_currencys_own_decimals(string code, long rupiah, string rate, bool english, string shown)
    {
        var currency = ForeignCurrencies.Find(code)!;

        Assert.Equal(shown, ForeignCurrencies.Approximate(rupiah, currency, decimal.Parse(rate, System.Globalization.CultureInfo.InvariantCulture), english));
    }

    [Fact]
    public void Rounding_is_half_away_from_zero_at_the_currencys_unit()
    {
        Assert.Equal(1.13m, ForeignCurrencies.Convert(1_125, ForeignCurrencies.Find("USD")!, 1_000m));
        Assert.Equal(2m, ForeignCurrencies.Convert(150, ForeignCurrencies.Find("JPY")!, 100m));
        Assert.Equal(1m, ForeignCurrencies.Convert(149, ForeignCurrencies.Find("JPY")!, 100m));
    }

    [Fact]
    public void A_rate_older_than_thirty_days_is_not_fresh()
    {
        var now = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

        Assert.True(ForeignCurrencies.IsFresh(now.AddDays(-30), now));
        Assert.False(ForeignCurrencies.IsFresh(now.AddDays(-30).AddMinutes(-1), now));
    }

    [Fact]
    public void Only_the_seven_offered_currencies_are_known_in_any_casing()
    {
        Assert.Equal(["USD", "EUR", "AUD", "SGD", "MYR", "CNY", "JPY"], ForeignCurrencies.All.Select(c => c.Code));
        Assert.Equal("JPY", ForeignCurrencies.Find(" jpy ")?.Code);
        Assert.Null(ForeignCurrencies.Find("IDR"));
        Assert.Null(ForeignCurrencies.Find("GBP"));
        Assert.Throws<ArgumentOutOfRangeException>(() => ForeignCurrencies.Convert(1_000, ForeignCurrencies.Find("USD")!, 0m));
    }
}
