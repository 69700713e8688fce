using Marketplace.Catalog.Cooperatives;
using Marketplace.ServiceDefaults.Errors;

namespace Marketplace.Catalog.Tests;

public sealed class CooperativeTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 9, 0, 0, TimeSpan.FromHours(7));

    [Theory]
    [InlineData("koperasi-binor", "koperasi-binor")]
    [InlineData("  Koperasi-Binor ", "koperasi-binor")]
    [InlineData("kwb2", "kwb2")]
    public void A_slug_is_trimmed_and_lowercased(string given, string stored)
    {
        var cooperative = Cooperative.Register(given, "Koperasi Wanita Binor", 10m, Now);

        Assert.Equal(stored, cooperative.Slug);
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("-binor")]
    [InlineData("binor-")]
    [InlineData("bi--nor")]
    [InlineData("binor sejahtera")]
    [InlineData("binor_sejahtera")]
    public void A_slug_that_cannot_be_part_of_a_URL_is_refused(string slug)
    {
        var error = Assert.ThrowsAny<DomainException>(() => Cooperative.Register(slug, "Koperasi Wanita Binor", 10m, Now));

        Assert.Equal("invalid_slug", error.Code);
    }

    [Theory]
    [InlineData(-0.01)]
    [InlineData(100.01)]
    [InlineData(12.345)]
    public void A_fee_outside_0_to_100_percent_or_finer_than_a_hundredth_is_refused(double fee)
    {
        var error = Assert.ThrowsAny<DomainException>(() => Cooperative.Register("koperasi-binor", "Koperasi Wanita Binor", (decimal)fee, Now));

        Assert.Equal("invalid_fee", error.Code);
    }

    [Fact]
    public void A_new_cooperative_is_active_with_its_fee_and_name()
    {
        var cooperative = Cooperative.Register("koperasi-binor", "  Koperasi Wanita Binor  ", 12.5m, Now);

        Assert.Equal(CooperativeStatus.Active, cooperative.Status);
        Assert.Equal(12.5m, cooperative.FeePercent);
        Assert.Equal("Koperasi Wanita Binor", cooperative.Name);
        Assert.Equal(Now, cooperative.RegisteredAt);
    }

    [Fact]
    public void Renaming_to_a_blank_name_is_refused_and_keeps_the_old_name()
    {
        var cooperative = Cooperative.Register("koperasi-binor", "Koperasi Wanita Binor", 10m, Now);

        Assert.Throws<DomainException>(() => cooperative.Rename("  "));
        Assert.Equal("Koperasi Wanita Binor", cooperative.Name);
    }
}
