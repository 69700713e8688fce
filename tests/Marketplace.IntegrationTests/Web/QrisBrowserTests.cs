using System.Net.Http.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Marketplace.IntegrationTests.Web;

/// <summary>
/// A tourist pays by QRIS on Stripe's page (the emulator's): the code is shown, she goes back to the shop, her order
/// says the payment is being confirmed, and then paid once her bank confirms it; or, when her bank fails it, that it
/// failed and its items went back on sale.
/// </summary>
[Collection("Storefront")]
public sealed class QrisBrowserTests(StorefrontStack shop)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);

    [Fact]
    public Task A_tourist_pays_by_QRIS_and_her_order_waits_as_being_confirmed_until_her_bank_confirms_it() => shop.CapturingFailureAsync(async () =>
    {
        var page = await OrderAndChooseQrisAsync("Turis QRIS", "0813 6666 7777", "qris-1-stripe-page");
        var sessionId = page.Url[(page.Url.LastIndexOf('/') + 1)..];
        await Expect(page.Locator("img[alt=QRIS]")).ToBeVisibleAsync();
        await Expect(page.Locator("button:has-text('Bayar')")).ToBeVisibleAsync();
        await StorefrontStack.ScreenshotAsync(page, "qris-2-code");

        await page.ClickAsync("#back");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"/orders/[0-9a-f-]+\?paid=1$"), new PageAssertionsToHaveURLOptions { Timeout = (float)Patience.TotalMilliseconds });
        await Expect(page.Locator("[data-testid=payment-confirming]")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = (float)Patience.TotalMilliseconds });
        await Expect(page.Locator("[data-status=ConfirmingPayment]")).ToHaveTextAsync("Pembayaran sedang dikonfirmasi");
        await Expect(page.Locator("main")).ToContainTextAsync("Jangan membayar lagi");
        await StorefrontStack.AccessibleAsync(page, "qris-3-confirming");

        // Her bank app pays the code; the page follows by itself.
        using var stripe = new HttpClient { BaseAddress = shop.Stack.StripeAddress };
        var answer = await (await stripe.PostAsJsonAsync($"/_emulator/checkout/{sessionId}/async-payment", new { succeed = true })).Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.Equal("Paid", answer.GetProperty("outcome").GetString());
        await Expect(page.Locator("[data-status=Paid]")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = (float)Patience.TotalMilliseconds });
        await Expect(page.Locator("[data-testid=payment-confirming]")).ToHaveCountAsync(0);
        await StorefrontStack.AccessibleAsync(page, "qris-4-paid");
    });

    [Fact]
    public Task When_her_bank_fails_the_QRIS_payment_the_order_says_so_and_that_its_items_were_released() => shop.CapturingFailureAsync(async () =>
    {
        var page = await OrderAndChooseQrisAsync("Turis Gagal", "0813 8888 9999", screenshot: null);
        await page.ClickAsync("button:has-text('Gagal')");

        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"/orders/[0-9a-f-]+\?paid=1$"), new PageAssertionsToHaveURLOptions { Timeout = (float)Patience.TotalMilliseconds });
        await Expect(page.Locator("[data-testid=payment-failed]")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = (float)Patience.TotalMilliseconds });
        await Expect(page.Locator("[data-testid=payment-failed]")).ToContainTextAsync("dilepas kembali ke toko");
        await Expect(page.Locator("[data-status=Expired]")).ToHaveTextAsync("Pembayaran gagal");
        await StorefrontStack.AccessibleAsync(page, "qris-5-failed");
    });

    /// <summary>Buys the pandan bag, pays online, and chooses QRIS on Stripe's page: returns the page showing the code.</summary>
    private async Task<IPage> OrderAndChooseQrisAsync(string name, string whatsApp, string? screenshot)
    {
        var page = await shop.NewPhoneAsync();
        await page.GotoAsync($"/produk/{shop.PandanBag.Id}");
        await page.ClickAsync("form.buy button[type=submit]");
        await StorefrontStack.InBasketAsync(page);
        await page.ClickAsync("a.button[href$='/bayar']");
        await page.FillAsync("#name", name);
        await page.FillAsync("#whatsApp", whatsApp);
        await page.FillAsync("#pickupDate", StorefrontStack.Tomorrow());
        await page.CheckAsync("input[type=radio][value=card]");
        await page.ClickAsync("form.stacked button[type=submit]");
        await StorefrontStack.ArrivedAtAsync(page, $"{shop.Stack.StripeAddress}checkout/**", (float)Patience.TotalMilliseconds);
        await Expect(page.Locator("input[type=radio][value=gopay]")).ToBeVisibleAsync();
        await page.CheckAsync("input[type=radio][value=qris]");
        if (screenshot is not null)
        {
            await StorefrontStack.ScreenshotAsync(page, screenshot);
        }

        await page.ClickAsync("button:has-text('Pay')");
        await Expect(page.Locator("img[alt=QRIS]")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = (float)Patience.TotalMilliseconds });
        return page;
    }
}
