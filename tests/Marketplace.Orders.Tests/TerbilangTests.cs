using Marketplace.Orders.Invoices;

namespace Marketplace.Orders.Tests;

/// <summary>An amount in words as a kuitansi writes it beside the figures, in Indonesian and in English.</summary>
public sealed class TerbilangTests
{
    [Theory]
    [InlineData(0, "nol")]
    [InlineData(1, "satu")]
    [InlineData(10, "sepuluh")]
    [InlineData(11, "sebelas")]
    [InlineData(12, "dua belas")]
    [InlineData(19, "sembilan belas")]
    [InlineData(20, "dua puluh")]
    [InlineData(99, "sembilan puluh sembilan")]
    [InlineData(100, "seratus")]
    [InlineData(111, "seratus sebelas")]
    [InlineData(1_000, "seribu")]
    [InlineData(1_500, "seribu lima ratus")]
    [InlineData(11_000, "sebelas ribu")]
    [InlineData(100_000, "seratus ribu")]
    [InlineData(125_000, "seratus dua puluh lima ribu")]
    [InlineData(1_000_000, "satu juta")]
    [InlineData(2_011_000, "dua juta sebelas ribu")]
    [InlineData(1_234_567_890, "satu miliar dua ratus tiga puluh empat juta lima ratus enam puluh tujuh ribu delapan ratus sembilan puluh")]
    public void Indonesian_words_follow_the_rules_of_se_belas_and_puluh(long amount, string words) =>
        Assert.Equal(words, Terbilang.Indonesian(amount));

    [Theory]
    [InlineData(0, "zero")]
    [InlineData(15, "fifteen")]
    [InlineData(21, "twenty-one")]
    [InlineData(1_000, "one thousand")]
    [InlineData(125_000, "one hundred twenty-five thousand")]
    [InlineData(2_011_000, "two million eleven thousand")]
    public void English_words(long amount, string words) => Assert.Equal(words, Terbilang.English(amount));

    [Fact]
    public void The_amount_ends_in_rupiah_in_both_languages()
    {
        Assert.Equal("seratus dua puluh lima ribu rupiah", Terbilang.Rupiah(125_000, english: false));
        Assert.Equal("one hundred twenty-five thousand rupiah", Terbilang.Rupiah(125_000, english: true));
        Assert.Throws<ArgumentOutOfRangeException>(() => Terbilang.Rupiah(-1, english: false));
    }
}
