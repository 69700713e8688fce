using System.Net;
using System.Net.Http.Json;
using Marketplace.Catalog.Search;
using Marketplace.Testing;

namespace Marketplace.Catalog.Tests;

public sealed class SearchTests(CatalogHost catalog) : IClassFixture<CatalogHost>
{
    private static object Product(string name, string category, long price, int stock, string? halal = "ID35110000123450923", string? nameEn = null) => new
    {
        category,
        listing = new
        {
            nameId = name,
            nameEn,
            descriptionId = "Oleh-oleh khas Pantai Binor.",
            pirtNumber = category is "kerajinan" ? null : "P-IRT No. 2020235010123-26",
            pirtValidUntil = category is "kerajinan" ? null : "2029-06-30",
            halalCertificateNumber = category is "kerajinan" ? null : halal,
            halalValidUntil = category is "kerajinan" || halal is null ? null : "2030-01-31",
        },
        variants = new[] { new { sku = "S-" + Guid.NewGuid().ToString("N")[..8], label = "1 pak", priceRupiah = price, weightGrams = 250, stock } },
    };

    private async Task<(Guid Cooperative, Dictionary<string, Guid> Ids)> StoreAsync()
    {
        var cooperative = await catalog.NewCooperativeAsync();
        var siti = await catalog.NewMemberAsync(cooperative.Id, "Ibu Siti Maryam");
        var wati = await catalog.NewMemberAsync(cooperative.Id, "Ibu Wati Lestari");
        var ids = new Dictionary<string, Guid>
        {
            ["tenggiri"] = (await catalog.PublishedProductAsync(siti, Product("Kerupuk Ikan Tenggiri", "kerupuk", 25_000, 10, nameEn: "Mackerel crackers"))).Id,
            ["udang"] = (await catalog.PublishedProductAsync(wati, Product("Kerupuk Udang Rebon", "kerupuk", 18_000, 0))).Id,
            ["teri"] = (await catalog.PublishedProductAsync(siti, Product("Ikan Teri Asin", "hasil-laut-kering", 40_000, 5, halal: null))).Id,
            ["tas"] = (await catalog.PublishedProductAsync(wati, Product("Tas Anyaman Pandan", "kerajinan", 85_000, 2))).Id,
        };
        // A draft never shows up, whatever it is called.
        await catalog.CreateProductAsync(siti, Product("Kerupuk Draf Rahasia", "kerupuk", 1_000, 10));
        return (cooperative.Id, ids);
    }

    private async Task<ProductPage> SearchAsync(string query) =>
        (await catalog.Anonymous().GetFromJsonAsync<ProductPage>($"/api/catalog/products?{query}"))!;

    [Fact]
    public async Task A_misspelled_word_still_finds_the_product()
    {
        var (cooperative, ids) = await StoreAsync();

        // The vocabulary that corrects misspellings is refreshed in the background: wait for it to know "kerupuk".
        var page = await Eventually.GetAsync(() => SearchAsync($"cooperative={cooperative}&q=krupuk"), p => p.Items.Count >= 2, because: "the vocabulary to learn the new words");

        Assert.Contains(page.Items, p => p.Id == ids["tenggiri"]);
        Assert.Contains(page.Items, p => p.Id == ids["udang"]);
        Assert.DoesNotContain(page.Items, p => p.Id == ids["tas"]);
        Assert.DoesNotContain(page.Items, p => p.NameId.Contains("Draf", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_number_joined_to_a_word_by_a_hyphen_is_found_typed_either_way()
    {
        var cooperative = await catalog.NewCooperativeAsync();
        var siti = await catalog.NewMemberAsync(cooperative.Id, "Ibu Siti Maryam");
        var bag = (await catalog.PublishedProductAsync(siti, Product("Tas Pandan Motif-2", "kerajinan", 85_000, 2))).Id;
        await catalog.PublishedProductAsync(siti, Product("Tas Pandan Motif Ombak", "kerajinan", 90_000, 2));

        foreach (var query in new[] { "motif-2", "motif 2", "pandan motif-2" })
        {
            var page = await SearchAsync($"cooperative={cooperative.Id}&q={Uri.EscapeDataString(query)}");
            Assert.True(page.Items.Select(p => p.Id).SequenceEqual([bag]), $"\"{query}\" found {page.Items.Count} products");
        }
    }

    [Fact]
    public async Task Search_covers_the_English_name_and_the_makers_name()
    {
        var (cooperative, ids) = await StoreAsync();

        var english = await SearchAsync($"cooperative={cooperative}&q=mackerel");
        var maker = await SearchAsync($"cooperative={cooperative}&q=Wati");

        Assert.Equal([ids["tenggiri"]], english.Items.Select(p => p.Id));
        Assert.Equal(new[] { ids["udang"], ids["tas"] }.Order(), maker.Items.Select(p => p.Id).Order());
    }

    [Fact]
    public async Task Filters_narrow_the_results()
    {
        var (cooperative, ids) = await StoreAsync();

        var crackers = await SearchAsync($"cooperative={cooperative}&category=kerupuk");
        var inStock = await SearchAsync($"cooperative={cooperative}&category=kerupuk&inStock=true");
        var halal = await SearchAsync($"cooperative={cooperative}&halal=true");
        var priceRange = await SearchAsync($"cooperative={cooperative}&minPrice=20000&maxPrice=50000");

        Assert.Equal(2, crackers.Total);
        Assert.Equal([ids["tenggiri"]], inStock.Items.Select(p => p.Id));
        Assert.DoesNotContain(halal.Items, p => p.Id == ids["teri"] || p.Id == ids["tas"]);
        Assert.Equal(new[] { ids["tenggiri"], ids["teri"] }.Order(), priceRange.Items.Select(p => p.Id).Order());
    }

    [Fact]
    public async Task Sorting_by_price_and_paging_work_together()
    {
        var (cooperative, ids) = await StoreAsync();

        var first = await SearchAsync($"cooperative={cooperative}&sort=price_asc&pageSize=3&page=1");
        var second = await SearchAsync($"cooperative={cooperative}&sort=price_asc&pageSize=3&page=2");

        Assert.Equal(4, first.Total);
        Assert.Equal(new long[] { 18_000, 25_000, 40_000 }, first.Items.Select(p => p.PriceFromRupiah));
        Assert.Equal([ids["tas"]], second.Items.Select(p => p.Id));
    }

    [Fact]
    public async Task A_product_that_sells_out_leaves_the_in_stock_filter_and_returns_when_restocked()
    {
        var cooperative = await catalog.NewCooperativeAsync();
        var member = await catalog.NewMemberAsync(cooperative.Id);
        var product = await catalog.PublishedProductAsync(member, Product("Kerupuk Lorjuk", "kerupuk", 30_000, 2));
        var stock = $"/api/catalog/products/{product.Id}/variants/{product.Variants[0].Id}/stock";

        (await catalog.As(member.Token).PutAsJsonAsync(stock, new { onHand = 0, reason = "habis terjual di pasar" })).EnsureSuccessStatusCode();
        var soldOut = await SearchAsync($"cooperative={cooperative.Id}&inStock=true");
        // New goods from her kitchen come back on the shelf as a delivery the kiosk receives.
        await catalog.DeliverAsync(member, [(product.Variants[0].Id, 7)]);
        var restocked = await SearchAsync($"cooperative={cooperative.Id}&inStock=true");

        Assert.Empty(soldOut.Items);
        Assert.Equal([product.Id], restocked.Items.Select(p => p.Id));
        Assert.True(restocked.Items[0].InStock);
    }

    [Theory]
    [InlineData("pageSize=1000")]
    [InlineData("page=0")]
    [InlineData("page=100000")]
    [InlineData("sort=random")]
    [InlineData("category=senjata")]
    [InlineData("minPrice=50000&maxPrice=10")]
    public async Task Unbounded_or_invalid_queries_are_refused(string query)
    {
        var response = await catalog.Anonymous().GetAsync(new Uri($"/api/catalog/products?{query}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_very_long_search_text_is_refused()
    {
        var response = await catalog.Anonymous().GetAsync(new Uri($"/api/catalog/products?q={new string('a', 500)}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Hostile_search_syntax_is_treated_as_text()
    {
        var (cooperative, _) = await StoreAsync();

        var response = await catalog.Anonymous().GetAsync(new Uri($"/api/catalog/products?cooperative={cooperative}&q={Uri.EscapeDataString("'); DROP TABLE catalog.products; -- & | ! :*")}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(4, (await SearchAsync($"cooperative={cooperative}")).Total);
    }
}
