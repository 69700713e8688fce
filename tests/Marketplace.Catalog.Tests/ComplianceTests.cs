using System.Net;
using System.Net.Http.Json;
using Marketplace.Catalog.Products;

namespace Marketplace.Catalog.Tests;

public sealed class ComplianceTests(CatalogHost catalog) : IClassFixture<CatalogHost>
{
    [Fact]
    public async Task Food_without_a_halal_certificate_stays_listed_and_is_flagged_to_shoppers()
    {
        var cooperative = await catalog.NewCooperativeAsync();
        var member = await catalog.NewMemberAsync(cooperative.Id);
        var product = await catalog.PublishedProductAsync(member, Requests.Crackers(halal: null));

        var seen = await catalog.Anonymous().GetFromJsonAsync<ProductResponse>($"/api/catalog/products/{product.Id}");

        Assert.True(seen!.Compliance.IsFood);
        Assert.False(seen.Compliance.HalalCertified);
        Assert.Contains(Compliance.HalalNotCertified, seen.Compliance.Flags);
    }

    [Fact]
    public async Task A_lapsed_PIRT_permit_and_halal_certificate_are_flagged()
    {
        var cooperative = await catalog.NewCooperativeAsync();
        var member = await catalog.NewMemberAsync(cooperative.Id);
        var product = await catalog.CreateProductAsync(member, new
        {
            category = "camilan",
            listing = new
            {
                nameId = "Keripik Singkong Balado",
                descriptionId = "Keripik singkong pedas manis.",
                pirtNumber = "P-IRT No. 2020235010123-21",
                pirtValidUntil = "2021-05-01",
                halalCertificateNumber = "ID35110000999990921",
                halalValidUntil = "2024-12-31",
            },
            variants = new[] { new { sku = "KSB-1", label = "150 g", priceRupiah = 15_000, weightGrams = 200, stock = 10 } },
        });

        Assert.Contains(Compliance.PirtExpired, product.Compliance.Flags);
        Assert.Contains(Compliance.HalalExpired, product.Compliance.Flags);
    }

    [Fact]
    public async Task Crafts_need_no_food_permits()
    {
        var cooperative = await catalog.NewCooperativeAsync();
        var member = await catalog.NewMemberAsync(cooperative.Id);
        var product = await catalog.CreateProductAsync(member, new
        {
            category = "kerajinan",
            listing = new { nameId = "Tas Anyaman Pandan", descriptionId = "Tas anyaman daun pandan buatan tangan." },
            variants = new[] { new { sku = "TAS-1", label = "Sedang", priceRupiah = 85_000, weightGrams = 400, stock = 4 } },
        });

        Assert.False(product.Compliance.IsFood);
        Assert.Empty(product.Compliance.Flags);
    }

    [Theory]
    [InlineData("P-IRT No. 12345", "invalid_pirt")]
    [InlineData("P-IRT No. 9020235010123-26", "invalid_pirt")]
    [InlineData("BPOM 123", "invalid_bpom")]
    public async Task A_malformed_permit_number_is_refused_with_a_clear_error(string permit, string code)
    {
        var cooperative = await catalog.NewCooperativeAsync();
        var member = await catalog.NewMemberAsync(cooperative.Id);
        var isPirt = code == "invalid_pirt";

        var response = await catalog.As(member.Token).PostAsJsonAsync("/api/catalog/products", new
        {
            category = "kerupuk",
            listing = new
            {
                nameId = "Kerupuk Rajungan",
                descriptionId = "Kerupuk rajungan.",
                pirtNumber = isPirt ? permit : null,
                pirtValidUntil = isPirt ? "2029-01-01" : null,
                bpomNumber = isPirt ? null : permit,
            },
            variants = new[] { new { sku = "RJG-1", label = "250 g", priceRupiah = 30_000, weightGrams = 300, stock = 0 } },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(code, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var mine = await catalog.As(member.Token).GetFromJsonAsync<List<ManagedProductResponse>>("/api/catalog/products/mine");
        Assert.Empty(mine!);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-25_000)]
    [InlineData(100_000_001)]
    public async Task A_price_outside_whole_rupiah_limits_is_refused(long price)
    {
        var cooperative = await catalog.NewCooperativeAsync();
        var member = await catalog.NewMemberAsync(cooperative.Id);

        var response = await catalog.As(member.Token).PostAsJsonAsync("/api/catalog/products", Requests.Crackers(price: price, stock: 0));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("invalid_price", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
