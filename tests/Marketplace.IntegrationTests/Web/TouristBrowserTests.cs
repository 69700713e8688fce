using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Marketplace.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Marketplace.IntegrationTests.Web;

/// <summary>
/// A tourist from abroad, in English: her own phone number, the names she can read, what shipping costs before she
/// pays, and a basket that tells her at once when there are not enough of something.
/// </summary>
[Collection("Storefront")]
public sealed class TouristBrowserTests(StorefrontStack shop)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);

    [Fact]
    public Task A_tourist_in_English_with_a_UK_number_ships_to_Bali_and_sees_the_shipping_and_total_before_paying() => shop.CapturingFailureAsync(async () =>
    {
        await ShipsToJavaAndBaliAsync();
        var crackers = await PublishAsync($"Kerupuk Ikan Cumi {StorefrontStack.Letters(6)}", english: true, price: 30_000, stock: 10);
        var paste = await PublishAsync($"Terasi Udang {StorefrontStack.Letters(6)}", english: false, price: 15_000, stock: 10);

        var page = await shop.NewPhoneAsync();
        await page.GotoAsync($"/produk/{crackers.Id}");
        await page.ClickAsync("a[hreflang=en]");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await page.FillAsync("#quantity", "2");
        await page.ClickAsync("form.buy button[type=submit]");
        await StorefrontStack.InBasketAsync(page);
        await Expect(page.Locator("[data-testid=basket-link]")).ToContainTextAsync("(2 items)");

        await page.GotoAsync($"/produk/{paste.Id}");
        await Expect(page.Locator("h1 .in-indonesian")).ToHaveTextAsync("(in Indonesian)");
        await page.ClickAsync("form.buy button[type=submit]");
        await StorefrontStack.InBasketAsync(page);
        await Expect(page.Locator("[data-testid=basket-link]")).ToContainTextAsync("(3 items)");

        // The basket in English: the maker's English name, the Indonesian one said to be so, and what one of each costs.
        var crackersLine = page.Locator(".lines li", new PageLocatorOptions { HasText = crackers.NameEn });
        await Expect(crackersLine).ToContainTextAsync("Rp 30.000 each");
        await Expect(crackersLine).ToContainTextAsync("Rp 60.000");
        await Expect(page.Locator(".lines")).Not.ToContainTextAsync(crackers.NameId);
        var pasteLine = page.Locator(".lines li", new PageLocatorOptions { HasText = paste.NameId });
        await Expect(pasteLine).ToContainTextAsync("(in Indonesian)");
        await Expect(pasteLine).ToContainTextAsync("Rp 15.000 each");
        await StorefrontStack.ScreenshotAsync(page, "tourist-1-basket-in-english");

        await page.ClickAsync("a.button[href$='/bayar']");
        await Expect(page.Locator(".lines")).ToContainTextAsync(crackers.NameEn);
        await page.FillAsync("#name", "Emma Walker");
        await page.FillAsync("#whatsApp", "+44 7700 900123");
        await page.CheckAsync("input[type=radio][value=shipping]");
        await Expect(page.Locator("#shipping-cost")).ToHaveTextAsync("Choose the province it goes to");
        await page.FillAsync("#street", "Jl. Pantai Kuta 7");
        await page.FillAsync("#city", "Denpasar");
        await page.SelectOptionAsync("#province", "Bali");
        await page.FillAsync("#postalCode", "80361");
        await page.CheckAsync("input[type=radio][value=card]");

        // Before she pays: shipping to Bali, named in words, and the total.
        await Expect(page.Locator("#shipping-cost")).ToHaveTextAsync("Rp 25.000 to Bali (Bali and Nusa Tenggara zone)");
        await Expect(page.Locator("#order-total")).ToHaveTextAsync("Rp 100.000");
        await StorefrontStack.ScreenshotAsync(page, "tourist-2-checkout-shipping-and-total");
        await page.ClickAsync("form.stacked button[type=submit]");

        // Stripe's page: the same total, the English names.
        await StorefrontStack.ArrivedAtAsync(page, $"{shop.Stack.StripeAddress}checkout/**", (float)Patience.TotalMilliseconds);
        await Expect(page.Locator("h1")).ToHaveTextAsync("Rp 100.000");
        await Expect(page.Locator("ul")).ToContainTextAsync($"{crackers.NameEn} (250 g) x 2");
        await Expect(page.Locator("ul")).ToContainTextAsync("Shipping x 1");
        await Expect(page.Locator("ul")).ToContainTextAsync("(250 g) (in Indonesian) x 1");
        await Expect(page.Locator("ul")).Not.ToContainTextAsync(crackers.NameId);
        await StorefrontStack.ScreenshotAsync(page, "tourist-3-stripe-page-in-english");
        await page.ClickAsync("button:has-text('Pay')");

        // Back on the order: never an offer to pay again, while Stripe's word is on its way and after it came.
        await Expect(page).ToHaveURLAsync(new Regex(@"/orders/[0-9a-f-]+\?paid=1$"), new PageAssertionsToHaveURLOptions { Timeout = (float)Patience.TotalMilliseconds });
        await Expect(page.Locator("[data-status=ConfirmingPayment], [data-status=Paid]")).ToBeVisibleAsync();
        await Expect(page.GetByText("Pay now")).ToHaveCountAsync(0);
        await StorefrontStack.ScreenshotAsync(page, "tourist-4-back-from-stripe");
        await Expect(page.Locator("[data-status=Paid]")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = (float)Patience.TotalMilliseconds });
        await Expect(page.GetByText("Pay now")).ToHaveCountAsync(0);
        await Expect(page.Locator("main")).ToContainTextAsync("Shipping: Rp 25.000 to Denpasar, Bali");
        await Expect(page.Locator("main")).ToContainTextAsync(crackers.NameEn);
        await StorefrontStack.ScreenshotAsync(page, "tourist-5-paid");

        // Her number is kept as the world writes it.
        var orderId = Guid.Parse(Regex.Match(page.Url, "/orders/([0-9a-f-]+)").Groups[1].Value);
        var order = await shop.Admin.Http.GetFromJsonAsync<JsonElement>($"/api/orders/orders/{orderId}");
        Assert.Equal(100_000, order.GetProperty("totalRupiah").GetInt64());
        Assert.Equal("en", order.GetProperty("language").GetString());
        Assert.Equal("bali-nusa", order.GetProperty("shippingAddress").GetProperty("zone").GetString());
    });

    [Fact]
    public Task More_than_the_stock_or_none_at_all_is_refused_at_the_field_and_so_is_a_province_the_cooperative_does_not_ship_to() => shop.CapturingFailureAsync(async () =>
    {
        await ShipsToJavaAndBaliAsync();
        var crackers = await PublishAsync($"Kerupuk Ikan Kakap {StorefrontStack.Letters(6)}", english: true, price: 20_000, stock: 6);

        var page = await shop.NewPhoneAsync();
        await page.GotoAsync("/bahasa/en?kembali=" + Uri.EscapeDataString($"/produk/{crackers.Id}"));
        await page.FillAsync("#quantity", "20");
        await page.ClickAsync("form.buy button[type=submit]");
        await Expect(page.Locator("#quantity-error")).ToHaveTextAsync("Only 6 left.");
        await Expect(page.Locator("#quantity")).ToHaveValueAsync("20");
        await StorefrontStack.ScreenshotAsync(page, "stock-1-product-only-6-left");

        await page.FillAsync("#quantity", "0");
        await page.ClickAsync("form.buy button[type=submit]");
        await Expect(page.Locator("#quantity-error")).ToHaveTextAsync("The quantity is at least 1.");
        await Expect(page.Locator("#quantity")).ToHaveValueAsync("0");
        await Expect(page.Locator(".alert.ok")).ToHaveCountAsync(0);

        await page.FillAsync("#quantity", "4");
        await page.ClickAsync("form.buy button[type=submit]");
        await StorefrontStack.InBasketAsync(page);

        // In the basket too, with what was typed kept in the field.
        var line = page.Locator(".lines li", new PageLocatorOptions { HasText = crackers.NameEn });
        await line.Locator("input[type=number]").FillAsync("7");
        await line.Locator("button:has-text('Update')").ClickAsync();
        line = page.Locator(".lines li", new PageLocatorOptions { HasText = crackers.NameEn });
        await Expect(line.Locator(".field-error")).ToHaveTextAsync("Only 6 left.");
        await Expect(line.Locator("input[type=number]")).ToHaveValueAsync("7");
        await StorefrontStack.ScreenshotAsync(page, "stock-2-basket-only-6-left");

        await line.Locator("input[type=number]").FillAsync("0");
        await line.Locator("button:has-text('Update')").ClickAsync();
        line = page.Locator(".lines li", new PageLocatorOptions { HasText = crackers.NameEn });
        await Expect(line.Locator(".field-error")).ToContainTextAsync("at least 1");
        await Expect(line.Locator("input[type=number]")).ToHaveValueAsync("0");
        await Expect(page.Locator(".alert.ok")).ToHaveCountAsync(0);
        await Expect(page.Locator("[data-testid=basket-link]")).ToContainTextAsync("(4 items)");

        // A province the cooperative does not ship to is said at the province, before and after pressing the button.
        await page.ClickAsync("a.button[href$='/bayar']");
        await page.FillAsync("#name", "Lars Jensen");
        await page.FillAsync("#whatsApp", "+45 20 12 34 56");
        await page.CheckAsync("input[type=radio][value=shipping]");
        await page.FillAsync("#street", "Jl. Trikora 3");
        await page.FillAsync("#city", "Jayapura");
        await page.SelectOptionAsync("#province", "Papua");
        await page.FillAsync("#postalCode", "99111");
        await Expect(page.Locator("#province-error")).ToHaveTextAsync("This cooperative does not ship to Papua.");
        await page.ClickAsync("form.stacked button[type=submit]");
        await Expect(page.Locator("#province-error")).ToContainTextAsync("does not ship to Papua");
        await Expect(page.Locator("#province")).ToHaveValueAsync("Papua");
        await Expect(page.Locator("#name")).ToHaveValueAsync("Lars Jensen");
        await Expect(page.Locator("#order-total")).ToHaveTextAsync("–");
        await StorefrontStack.ScreenshotAsync(page, "stock-3-province-not-shipped");

        // A number that is no number is refused in English, at its field.
        await page.SelectOptionAsync("#province", "Jawa Timur");
        await page.FillAsync("#whatsApp", "call me");
        await page.ClickAsync("form.stacked button[type=submit]");
        await Expect(page.Locator("#whatsApp-error")).ToContainTextAsync("That is not a phone number");
        await Expect(page.Locator("#order-total")).ToHaveTextAsync("Rp 98.000");
    });

    [Fact]
    public Task Without_any_script_the_total_with_shipping_is_shown_before_anything_is_ordered() => shop.CapturingFailureAsync(async () =>
    {
        await ShipsToJavaAndBaliAsync();
        var crackers = await PublishAsync($"Kerupuk Ikan Tongkol {StorefrontStack.Letters(6)}", english: true, price: 20_000, stock: 10);
        var page = await shop.NewPhoneWithoutScriptAsync();
        await page.GotoAsync($"/produk/{crackers.Id}");
        await page.ClickAsync("form.buy button[type=submit]");
        await StorefrontStack.InBasketAsync(page);
        await page.ClickAsync("a.button[href$='/bayar']");
        var checkout = page.Url;
        await page.FillAsync("#name", "Ibu Turis");
        await page.FillAsync("#whatsApp", "62 812 3456 7890");
        await page.CheckAsync("input[type=radio][value=shipping]");
        await page.FillAsync("#street", "Jl. Pantai Kuta 7");
        await page.FillAsync("#city", "Denpasar");
        await page.SelectOptionAsync("#province", "Bali");
        await page.FillAsync("#postalCode", "80361");
        await page.ClickAsync("form.stacked button[type=submit]");

        // The page could not follow her choice without script: it shows the total first and orders nothing yet.
        await Expect(page.Locator(".alert.error")).ToContainTextAsync("Rp 45.000");
        await Expect(page.Locator("#shipping-cost")).ToHaveTextAsync("Rp 25.000 ke Bali (zona Bali dan Nusa Tenggara)");
        await Expect(page.Locator("#order-total")).ToHaveTextAsync("Rp 45.000");
        await Expect(page.Locator("#province")).ToHaveValueAsync("Bali");
        Assert.Equal(checkout, page.Url);
        await StorefrontStack.ScreenshotAsync(page, "noscript-4-checkout-total-with-shipping");

        await page.ClickAsync("form.stacked button[type=submit]");
        await StorefrontStack.ArrivedAtAsync(page, "**/orders/*");
    });

    /// <summary>Java and Bali, Nusa Tenggara by zone; nothing further east.</summary>
    private async Task ShipsToJavaAndBaliAsync()
    {
        var rates = new[] { new { zone = "jawa", upToGrams = 5000, priceRupiah = 18_000 }, new { zone = "bali-nusa", upToGrams = 5000, priceRupiah = 25_000 } };
        var response = await shop.Admin.Http.PutAsJsonAsync($"/api/orders/merchants/{shop.CooperativeId}/shipping-rates", new { rates });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>A product of the first member, with or without an English name, on sale and known to Orders.</summary>
    private async Task<(Guid Id, string NameId, string NameEn)> PublishAsync(string name, bool english, long price, int stock)
    {
        var nameEn = name.Replace("Kerupuk Ikan", "Fish crackers", StringComparison.Ordinal);
        var created = await shop.Member.Http.PostAsJsonAsync("/api/catalog/products", new
        {
            category = "kerupuk",
            listing = new
            {
                nameId = name,
                nameEn = english ? nameEn : null,
                descriptionId = "Dibuat dari hasil tangkapan nelayan Pantai Binor, dikemas rapat.",
                descriptionEn = english ? "Made from Pantai Binor's catch, tightly packed." : null,
                packagingType = "Plastik klip",
                netContent = "250 g",
                shelfLifeDays = 180,
                pirtNumber = "2350101012345-29",
                pirtValidUntil = "2029-12-31",
                halalCertificateNumber = "ID35110000123450923",
                halalValidUntil = "2029-12-31",
            },
            variants = new[] { new { sku = "SKU-" + Guid.NewGuid().ToString("N")[..8], label = "250 g", priceRupiah = price, weightGrams = 300 } },
        });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var product = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = product.GetProperty("id").GetGuid();
        await KioskDeliveries.BringAsync(shop.Member.Http, shop.Admin.Http, (product.GetProperty("variants")[0].GetProperty("id").GetGuid(), stock));
        Assert.True((await shop.Member.Http.PostAsync(new Uri($"/api/catalog/products/{id}/submit", UriKind.Relative), null)).IsSuccessStatusCode);
        Assert.True((await shop.Admin.Http.PostAsync(new Uri($"/api/catalog/products/{id}/approve", UriKind.Relative), null)).IsSuccessStatusCode);

        await shop.KnownToOrdersAsync(id);
        return (id, name, english ? nameEn : name);
    }
}
