using System.Net.Http.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Marketplace.IntegrationTests.Web;

/// <summary>The shopper comes back from Stripe's page while no webhook gets through: her order page asks Stripe itself.</summary>
[Collection("Storefront")]
public sealed class LostWebhookBrowserTests(StorefrontStack shop)
{
    [Fact]
    public Task Back_from_Stripe_with_every_webhook_failing_the_order_page_shows_the_order_paid() => shop.CapturingFailureAsync(async () =>
    {
        using var stripe = new HttpClient { BaseAddress = shop.Stack.StripeAddress };
        (await stripe.PostAsJsonAsync("/_emulator/webhooks", new { url = "http://127.0.0.1:9/webhooks/stripe" })).EnsureSuccessStatusCode();
        try
        {
            var page = await shop.NewPhoneAsync();
            await page.GotoAsync($"/produk/{shop.PandanBag.Id}");
            await page.ClickAsync("form.buy button[type=submit]");
            await StorefrontStack.InBasketAsync(page);
            await page.ClickAsync("a.button[href$='/bayar']");
            await page.FillAsync("#name", "Turis Sabar");
            await page.FillAsync("#whatsApp", "0813 4444 5555");
            await page.FillAsync("#pickupDate", StorefrontStack.Tomorrow());
            await page.CheckAsync("input[type=radio][value=card]");
            await page.ClickAsync("form.stacked button[type=submit]");
            await StorefrontStack.ArrivedAtAsync(page, $"{shop.Stack.StripeAddress}checkout/**", 45_000);
            await page.ClickAsync("button:has-text('Pay')");

            // No webhook reaches Orders (the sweep leaves an order this young to its webhook): only the page's check can say paid.
            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"/orders/[0-9a-f-]+\?paid=1$"));
            await Expect(page.Locator("[data-status=Paid]")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 20_000 });
            await StorefrontStack.ScreenshotAsync(page, "lost-webhook-paid");
        }
        finally
        {
            (await stripe.PostAsJsonAsync("/_emulator/webhooks", new { url = $"{shop.Address}webhooks/stripe" })).EnsureSuccessStatusCode();
        }
    });
}
