using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Marketplace.IntegrationTests.Web;

/// <summary>
/// The caps on open pay-at-kiosk orders count each shopper of the storefront by her own address, not Web's: one shopper
/// at her cap does not close kiosk payment for the next. The refusals are said at their fields, in Indonesian.
/// </summary>
[Collection(StorefrontCollection.Name)]
public sealed class KioskHoldBrowserTests(StorefrontStack shop)
{
    private const string Hoarder = "203.0.113.71";

    private const string Neighbour = "198.51.100.72";

    [Fact]
    public Task With_the_default_caps_a_shopper_at_her_cap_does_not_stop_another_address_paying_at_the_kiosk() => shop.CapturingFailureAsync(async () =>
    {
        var product = await shop.PublishAsync(shop.Member, "kerupuk", $"Kerupuk Ikan Kakap {StorefrontStack.Letters(6)}", 20_000);
        await shop.KnownToOrdersAsync(product.Id);
        var settings = $"/api/orders/merchants/{shop.CooperativeId}/kiosk-hold-settings";
        // The defaults (3 days, 3 per number, 10 per address, half a size's stock), for this test only: the stack's other
        // tests all order from this machine's one address.
        (await shop.Admin.Http.PutAsJsonAsync(settings, new { pickupDaysAhead = 3, maxOpenPerPhone = 3, maxOpenPerClient = 10, maxSharePercent = 50 })).EnsureSuccessStatusCode();
        try
        {
            // Ten open kiosk orders from the hoarder's address, three of them for one number.
            var numbers = Enumerable.Range(0, 10).Select(i => i < 3 ? Number(0) : Number(i)).ToList();
            using var hoarder = shop.Stack.NewBrowser();
            hoarder.Http.DefaultRequestHeaders.Add("X-Forwarded-For", Hoarder);
            var variant = (await hoarder.Http.GetFromJsonAsync<JsonElement>($"/api/catalog/products/{product.Id}"))
                .GetProperty("variants")[0].GetProperty("id").GetGuid();
            foreach (var number in numbers)
            {
                (await hoarder.Http.PutAsJsonAsync($"/api/orders/baskets/{shop.CooperativeId}/lines/{variant}", new { productId = product.Id, quantity = 1 })).EnsureSuccessStatusCode();
                var placed = await hoarder.Http.PostAsJsonAsync($"/api/orders/baskets/{shop.CooperativeId}/checkout",
                    new { name = "Ibu Penimbun", whatsApp = number, fulfilment = "pickup", pickupDate = StorefrontStack.Tomorrow(), payment = "kiosk" });
                Assert.True(placed.IsSuccessStatusCode, await placed.Content.ReadAsStringAsync());
            }

            // The hoarder through the storefront: her eleventh is refused, said at the payment choice.
            var hoarding = await shop.NewPhoneAsync(Hoarder);
            await CheckOutAsync(hoarding, product.Id, "Ibu Penimbun", Number(20), StorefrontStack.Tomorrow());
            await Expect(hoarding.Locator("#payment-error")).ToContainTextAsync("Sudah banyak pesanan bayar-di-kios yang belum dibayar dari jaringan ini");
            await StorefrontStack.AccessibleAsync(hoarding, "kiosk-cap-1-too-many-here");

            // Her neighbour on another network: a day past the cooperative's three is refused at the day, the hoarder's
            // number at the number, and then she orders.
            var neighbour = await shop.NewPhoneAsync(Neighbour);
            await CheckOutAsync(neighbour, product.Id, "Ibu Tetangga", Number(0), Jakarta(5));
            await Expect(neighbour.Locator("#pickupDate-error")).ToContainTextAsync("Bayar di kios hanya untuk diambil dalam beberapa hari ke depan");
            await Expect(neighbour.Locator("#name")).ToHaveValueAsync("Ibu Tetangga");
            await StorefrontStack.AccessibleAsync(neighbour, "kiosk-cap-2-pickup-too-far");
            await neighbour.FillAsync("#pickupDate", StorefrontStack.Tomorrow());
            await neighbour.ClickAsync("form.stacked button[type=submit]");
            await Expect(neighbour.Locator("#whatsApp-error")).ToContainTextAsync("Nomor WhatsApp ini sudah punya beberapa pesanan yang belum dibayar");
            await StorefrontStack.AccessibleAsync(neighbour, "kiosk-cap-3-too-many-for-number");
            await neighbour.FillAsync("#whatsApp", Number(21));
            await neighbour.ClickAsync("form.stacked button[type=submit]");
            await Expect(neighbour.Locator("[data-status=AwaitingKioskPayment]")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 45_000 });
            await StorefrontStack.ScreenshotAsync(neighbour, "kiosk-cap-4-neighbour-ordered");

            // Orders kept each order's own address: the neighbour's is hers, not Web's.
            List<string?> addresses = [];
            await Eventually.TrueAsync(
                async () =>
                {
                    var held = await shop.Admin.Http.GetFromJsonAsync<JsonElement>($"/api/orders/merchants/{shop.CooperativeId}/held-stock");
                    addresses = held.EnumerateArray().Where(h => h.GetProperty("variantId").GetGuid() == variant)
                        .Select(h => h.GetProperty("clientAddress").GetString()).ToList();
                    return addresses.Count == 11;
                },
                TimeSpan.FromSeconds(45),
                "the eleven orders' stock to be held");
            Assert.Equal(10, addresses.Count(a => a == Hoarder));
            Assert.Equal(1, addresses.Count(a => a == Neighbour));
        }
        finally
        {
            (await shop.Admin.Http.PutAsJsonAsync(settings, new { pickupDaysAhead = 3, maxOpenPerPhone = 100, maxOpenPerClient = 1000, maxSharePercent = 100 })).EnsureSuccessStatusCode();
        }
    });

    // Numbers of this run only: the stack's other tests order with their own.
    private readonly string _run = Random.Shared.Next(1000, 9999).ToString(CultureInfo.InvariantCulture);

    private string Number(int i) => $"0813 {_run} {i:D4}";

    private static string Jakarta(int daysAhead) =>
        Marketplace.ServiceDefaults.Formatting.LocalTime.Today(DateTimeOffset.UtcNow).AddDays(daysAhead).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static async Task CheckOutAsync(IPage page, Guid productId, string name, string whatsApp, string pickupDate)
    {
        await page.GotoAsync($"/produk/{productId}");
        await page.ClickAsync("form.buy button[type=submit]");
        await StorefrontStack.InBasketAsync(page);
        await page.ClickAsync("a.button[href$='/bayar']");
        await page.FillAsync("#name", name);
        await page.FillAsync("#whatsApp", whatsApp);
        await page.FillAsync("#pickupDate", pickupDate);
        await page.CheckAsync("input[type=radio][value=kiosk]");
        await page.ClickAsync("form.stacked button[type=submit]");
    }
}
