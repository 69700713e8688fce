using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.ServiceDefaults.Formatting;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Marketplace.IntegrationTests.Web;

/// <summary>
/// What a shopper far from the beach sees of the people behind a product: the maker's page and the cooperative's, the
/// structured data and preview tags a search engine or a WhatsApp chat reads, and Lighthouse's SEO score.
/// </summary>
[Collection(StorefrontCollection.Name)]
public sealed class MakerPagesBrowserTests(StorefrontStack shop)
{
    private const string Story = "Saya membuat kerupuk ikan tengiri dari tangkapan suami saya sejak 2009.";

    [Fact]
    public Task A_product_page_carries_schema_org_product_data_and_preview_tags_and_leads_to_its_maker_and_cooperative() => shop.CapturingFailureAsync(async () =>
    {
        await TellHerStoryAsync();
        var page = await shop.NewPhoneAsync();
        await page.GotoAsync($"/produk/{shop.FishCrackers.Id}");

        // The structured data as a search engine reads it: parsed by the browser from the page itself.
        var json = await page.EvaluateAsync<string>("document.querySelector('script[type=\"application/ld+json\"]').textContent");
        var data = JsonDocument.Parse(json).RootElement;
        Assert.Equal("https://schema.org", data.GetProperty("@context").GetString());
        Assert.Equal("Product", data.GetProperty("@type").GetString());
        Assert.Equal(shop.FishCrackers.Name, data.GetProperty("name").GetString());
        var offer = data.GetProperty("offers");
        Assert.Equal("Offer", offer.GetProperty("@type").GetString());
        Assert.Equal("IDR", offer.GetProperty("priceCurrency").GetString());
        var price = offer.GetProperty("price").GetInt64();
        await Expect(page.Locator("form.buy .variant strong")).ToHaveTextAsync(Rupiah.Display(price));
        Assert.Equal("https://schema.org/InStock", offer.GetProperty("availability").GetString());
        Assert.Equal("Organization", offer.GetProperty("seller").GetProperty("@type").GetString());
        // No reviews yet: no rating is claimed.
        Assert.False(data.TryGetProperty("aggregateRating", out _));

        // The tags a WhatsApp preview is built from: absolute addresses, the price in rupiah.
        foreach (var property in new[] { "og:url", "og:image" })
        {
            var content = await page.Locator($"meta[property='{property}']").GetAttributeAsync("content");
            Assert.True(Uri.TryCreate(content, UriKind.Absolute, out var absolute) && absolute.Scheme.StartsWith("http", StringComparison.Ordinal), $"{property} is {content}");
        }

        Assert.Equal(shop.FishCrackers.Name, await page.Locator("meta[property='og:title']").GetAttributeAsync("content"));
        Assert.Equal(price.ToString(System.Globalization.CultureInfo.InvariantCulture), await page.Locator("meta[property='product:price:amount']").GetAttributeAsync("content"));
        Assert.Equal("IDR", await page.Locator("meta[property='product:price:currency']").GetAttributeAsync("content"));
        var share = new Uri((await page.GetByTestId("share-whatsapp").GetAttributeAsync("href"))!);
        Assert.Equal("wa.me", share.Host);
        Assert.Contains(Uri.EscapeDataString(shop.FishCrackers.Name), share.Query, StringComparison.Ordinal);
        await StorefrontStack.AccessibleAsync(page, "maker-1-product");

        // "Dibuat oleh" opens her page: her story and what she sells.
        await page.GetByTestId("maker-link").ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/pembuat/[a-z0-9-]+$"));
        await Expect(page.Locator("h1")).ToHaveTextAsync("Bu Siti");
        await Expect(page.GetByTestId("maker-story")).ToHaveTextAsync(Story);
        await Expect(page.Locator(".grid .card").Filter(new() { HasText = shop.FishCrackers.Name })).ToHaveCountAsync(1);
        await Expect(page.Locator(".grid .card").Filter(new() { HasText = shop.PandanBag.Name })).ToHaveCountAsync(0);
        Assert.StartsWith("http", await page.Locator("meta[property='og:image']").GetAttributeAsync("content"), StringComparison.Ordinal);
        await StorefrontStack.AccessibleAsync(page, "maker-2-maker-page");
        await StorefrontStack.FitsThePhoneAsync(page, "The maker's page");

        // Her cooperative: the kiosk on a map link, its hours day by day in the visitor's language, its makers.
        await page.GetByTestId("cooperative-link").ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/koperasi/{shop.Slug}$"));
        await Expect(page.GetByTestId("cooperative-story")).ToHaveTextAsync("Koperasi wanita nelayan Pantai Binor.");
        Assert.Equal("https://www.google.com/maps/search/?api=1&query=Pantai%20Binor%2C%20Probolinggo", await page.GetByTestId("map-link").GetAttributeAsync("href"));
        var hours = page.GetByTestId("opening-hours");
        await Expect(hours.Locator("dt")).ToHaveTextAsync(["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]);
        await Expect(hours.Locator("dd").First).ToHaveTextAsync("00:00–23:59");
        await Expect(page.GetByTestId("chat-whatsapp")).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("^https://wa\\.me/6281234567890\\?text="));
        // Other tests may add members to this cooperative: both of the stack's makers are listed, each linking to her page.
        foreach (var name in new[] { "Bu Ani", "Bu Siti" })
        {
            await Expect(page.GetByTestId("makers").GetByRole(AriaRole.Link, new() { Name = name, Exact = true })).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("^/pembuat/[a-z0-9-]+$"));
        }

        await StorefrontStack.AccessibleAsync(page, "maker-3-cooperative-page");
        await StorefrontStack.FitsThePhoneAsync(page, "The cooperative's page");

        // In English the same days are said in English.
        await page.ClickAsync("a[hreflang=en]");
        await Expect(page.GetByTestId("opening-hours").Locator("dt").First).ToHaveTextAsync("Monday");
        await Expect(page.GetByTestId("map-link")).ToHaveTextAsync("See the kiosk on Google Maps");
    });

    [Fact]
    public Task A_maker_who_is_not_there_is_the_not_found_page_in_the_visitors_language() => shop.CapturingFailureAsync(async () =>
    {
        var page = await shop.NewPhoneAsync();
        var response = await page.GotoAsync("/pembuat/tidak-ada-" + StorefrontStack.Letters(6));

        Assert.Equal(404, response!.Status);
        await Expect(page.Locator("h1")).ToHaveTextAsync("Halaman tidak ditemukan");

        var cooperative = await page.GotoAsync("/koperasi/tidak-ada-" + StorefrontStack.Letters(6));
        Assert.Equal(404, cooperative!.Status);
        await Expect(page.Locator("h1")).ToHaveTextAsync("Halaman tidak ditemukan");

        // A visitor who reads English is told in English, back on the same address.
        await page.ClickAsync("a[hreflang=en]");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/koperasi/tidak-ada-[a-z]+$"));
        await Expect(page.Locator("h1")).ToHaveTextAsync("Page not found");
        await StorefrontStack.AccessibleAsync(page, "maker-4-not-found-english");
    });

    [Fact]
    public async Task Lighthouse_scores_search_engine_optimisation_at_100_on_a_product_page_and_a_makers_page()
    {
        // Search engines read what they may visit from a robots.txt of plain text; Lighthouse checks it is valid.
        using (var robots = shop.Stack.NewBrowser())
        {
            var answer = await robots.Http.GetAsync(new Uri("/robots.txt", UriKind.Relative));
            Assert.Equal(System.Net.HttpStatusCode.OK, answer.StatusCode);
            Assert.Equal("text/plain", answer.Content.Headers.ContentType?.MediaType);
            Assert.Contains("Disallow: /admin", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var product = new Uri(shop.Address, $"/produk/{shop.FishCrackers.Id}");
        var (score, failed) = await Lighthouse.RunAsync(product, "seo");
        Assert.True(score == 1, $"Lighthouse's SEO score of {product} is {score}: {string.Join("; ", failed)}");

        using var probe = shop.Stack.NewBrowser();
        var slug = (await probe.Http.GetFromJsonAsync<JsonElement>($"/api/catalog/products/{shop.FishCrackers.Id}")).GetProperty("maker").GetProperty("slug").GetString();
        var maker = new Uri(shop.Address, $"/pembuat/{slug}");
        (score, failed) = await Lighthouse.RunAsync(maker, "seo");
        Assert.True(score == 1, $"Lighthouse's SEO score of {maker} is {score}: {string.Join("; ", failed)}");
    }

    /// <summary>Bu Siti writes her story on her profile, keeping the rest of it as it was.</summary>
    private async Task TellHerStoryAsync()
    {
        var profile = await shop.Member.Http.GetFromJsonAsync<JsonElement>($"/api/catalog/members/{shop.MemberId}");
        string? Field(string name) => profile.GetProperty(name).ValueKind == JsonValueKind.String ? profile.GetProperty(name).GetString() : null;
        var saved = await shop.Member.Http.PutAsJsonAsync("/api/catalog/members/me", new
        {
            displayName = Field("displayName"),
            businessName = Field("businessName"),
            village = Field("village"),
            story = Story,
            whatsApp = Field("whatsApp"),
        });
        Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());
    }
}
