using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Testing;
using Microsoft.Playwright;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using static Microsoft.Playwright.Assertions;

namespace Marketplace.IntegrationTests.Web;

/// <summary>What a newcomer meets first: pages in her language when she mistypes, a form that says all her mistakes, pages that hold still.</summary>
[Collection("Storefront")]
public sealed class FirstContactBrowserTests(StorefrontStack shop)
{
    [Fact]
    public Task A_mistyped_address_shows_a_page_in_the_readers_language_while_API_clients_keep_problem_details() => shop.CapturingFailureAsync(async () =>
    {
        var page = await shop.NewPhoneAsync();
        foreach (var address in new[] { "/produk/abc", $"/produk/{Guid.NewGuid()}", "/tidak-ada/sama-sekali" })
        {
            var response = await page.GotoAsync(address);
            Assert.Equal(404, response!.Status);
            Assert.StartsWith("text/html", response.Headers["content-type"], StringComparison.Ordinal);
            await Expect(page.Locator("h1")).ToHaveTextAsync("Halaman tidak ditemukan");
            await Expect(page.Locator("main form.search")).ToBeVisibleAsync();
        }

        await StorefrontStack.ScreenshotAsync(page, "first-contact-1-not-found");
        await page.GotoAsync("/bahasa/en?kembali=/produk/abc");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Page not found");
        await StorefrontStack.ScreenshotAsync(page, "first-contact-2-not-found-in-english");

        var favicon = await page.APIRequest.GetAsync("/favicon.ico");
        Assert.Equal(200, favicon.Status);

        using var client = shop.Stack.NewBrowser();
        var api = await client.Http.GetAsync(new Uri($"/api/catalog/products/{Guid.NewGuid()}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
    });

    [Fact]
    public Task A_members_mistakes_in_a_new_product_are_all_shown_at_once_in_Indonesian_at_their_fields() => shop.CapturingFailureAsync(async () =>
    {
        var member = await shop.SignedInAsync(shop.MemberLogin);
        await member.GotoAsync("/anggota/produk/baru");
        await member.SelectOptionAsync("#category", "kerupuk");
        await member.FillAsync("#nameId", "ab");
        await member.FillAsync("#shelfLifeDays", "0");
        await member.FillAsync("#pirtNumber", "12345");
        await member.FillAsync("#v1-label", "250 g");
        await member.FillAsync("#v1-price", "25000");
        await member.FillAsync("#v1-weight", "300");
        // Her second size: a price below Rp 500 and no weight.
        await member.FillAsync("#v2-label", "1 kg");
        await member.FillAsync("#v2-price", "100");
        await member.ClickAsync("form.stacked button[type=submit]");

        await Expect(member.Locator(".alert.error")).ToContainTextAsync("Belum tersimpan");
        await Expect(member.Locator("p:has(#nameId) .field-error")).ToContainTextAsync("3 sampai 120 huruf");
        await Expect(member.Locator("p:has(#descriptionId) .field-error")).ToContainTextAsync("Tulis deskripsi");
        await Expect(member.Locator("p:has(#shelfLifeDays) .field-error")).ToContainTextAsync("1 sampai 3650 hari");
        await Expect(member.Locator("p:has(#pirtNumber) .field-error")).ToContainTextAsync("Nomor P-IRT");
        await Expect(member.Locator("p:has(#pirtValidUntil) .field-error")).ToContainTextAsync("tanggal berlaku");
        await Expect(member.Locator("p:has(#v2-price) .field-error")).ToContainTextAsync("Rp 500");
        await Expect(member.Locator("p:has(#v2-weight) .field-error")).ToContainTextAsync("1 sampai 30.000 gram");
        await Expect(member.Locator("p:has(#v1-price) .field-error")).ToHaveCountAsync(0);
        await Expect(member.Locator("#nameId")).ToHaveValueAsync("ab");
        await Expect(member.Locator("#v2-label")).ToHaveValueAsync("1 kg");

        // Nothing of the service's own vocabulary reaches her: no field keys, no rule codes, no English.
        var text = await member.Locator("main").InnerTextAsync();
        foreach (var word in new[] { "name_id", "invalid_", "listing.", "variants[", "must be", "characters" })
        {
            Assert.DoesNotContain(word, text, StringComparison.Ordinal);
        }

        await StorefrontStack.ScreenshotAsync(member, "first-contact-3-product-form-mistakes");
    });

    [Theory]
    [InlineData("landscape", 1200, 900)]
    [InlineData("portrait", 600, 900)]
    public Task A_product_page_holds_still_while_its_photo_arrives(string shape, int width, int height) => shop.CapturingFailureAsync(async () =>
    {
        var productId = await PublishWithPhotoAsync($"Kerupuk Foto {shape} {StorefrontStack.Letters(5)}", width, height);
        var page = await shop.NewPhoneAsync();
        // On the beach's 4G the photo comes well after the page: hold every photo back so a missing reservation shows.
        await page.RouteAsync("**/api/catalog/images/**", async route =>
        {
            await Task.Delay(1500);
            await route.ContinueAsync();
        });
        await page.AddInitScriptAsync("""
            window.__shifts = 0;
            new PerformanceObserver(list => {
              for (const entry of list.getEntries()) { if (!entry.hadRecentInput) window.__shifts += entry.value; }
            }).observe({ type: 'layout-shift', buffered: true });
            """);
        await page.GotoAsync($"/produk/{productId}");
        await Expect(page.Locator(".gallery img").First).ToBeVisibleAsync();
        await page.WaitForFunctionAsync("() => { const i = document.querySelector('.gallery img'); return i && i.complete && i.naturalWidth > 0; }");
        await page.WaitForTimeoutAsync(300);

        var shift = await page.EvaluateAsync<double>("() => window.__shifts");
        await StorefrontStack.ScreenshotAsync(page, $"first-contact-4-photo-{shape}");
        Assert.InRange(shift, 0, 0.1);
    });

    [Fact]
    public Task The_search_page_describes_itself_to_search_engines() => shop.CapturingFailureAsync(async () =>
    {
        var page = await shop.NewPhoneAsync();
        await page.GotoAsync("/cari?q=kerupuk");
        var description = await page.Locator("meta[name=description]").GetAttributeAsync("content");
        Assert.Contains("kerupuk", description, StringComparison.Ordinal);
        Assert.Contains("Pantai Binor", description, StringComparison.Ordinal);
    });

    private async Task<Guid> PublishWithPhotoAsync(string name, int width, int height)
    {
        var created = await shop.Member.Http.PostAsJsonAsync("/api/catalog/products", new
        {
            category = "kerajinan",
            listing = new { nameId = name, descriptionId = "Foto kemasan untuk uji tata letak halaman." },
            variants = new[] { new { sku = "FT-" + StorefrontStack.Letters(6), label = "1 buah", priceRupiah = 30_000L, weightGrams = 200 } },
        });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Photo(width, height));
        file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        form.Add(file, "file", "kemasan.jpg");
        var upload = await shop.Member.Http.PostAsync(new Uri($"/api/catalog/products/{id}/images", UriKind.Relative), form);
        Assert.True(upload.IsSuccessStatusCode, await upload.Content.ReadAsStringAsync());
        // Processing the photo changes the product: submit and approve after it, not during it.
        await Eventually.TrueAsync(
            async () => (await shop.Member.Http.GetFromJsonAsync<JsonElement>($"/api/catalog/products/{id}/manage")).GetProperty("images")
                .EnumerateArray().Any(i => i.GetProperty("status").GetString() == "ready"),
            TimeSpan.FromSeconds(90),
            "the photo to be processed");
        (await shop.Member.Http.PostAsync(new Uri($"/api/catalog/products/{id}/submit", UriKind.Relative), null)).EnsureSuccessStatusCode();
        (await shop.Admin.Http.PostAsync(new Uri($"/api/catalog/products/{id}/approve", UriKind.Relative), null)).EnsureSuccessStatusCode();
        using var shopper = shop.Stack.NewBrowser();
        await Eventually.TrueAsync(
            async () => (await shopper.Http.GetFromJsonAsync<JsonElement>($"/api/catalog/products/{id}")).GetProperty("images").GetArrayLength() == 1,
            TimeSpan.FromSeconds(90),
            "the product to be on sale with its photo");
        return id;
    }

    private static byte[] Photo(int width, int height)
    {
        using var image = new Image<Rgb24>(width, height, new Rgb24(40, 120, 214));
        using var stream = new MemoryStream();
        image.SaveAsJpeg(stream);
        return stream.ToArray();
    }
}
