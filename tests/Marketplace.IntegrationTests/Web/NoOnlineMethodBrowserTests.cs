using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Marketplace.IntegrationTests.Web;

/// <summary>
/// Stripe can withdraw every method from a cooperative's account while it still takes payments: the checkout page then
/// offers only the kiosk, and says nothing of paying online. The three withdrawals send three account.updated at once:
/// Orders must end with what Stripe said last. Shares the one running marketplace of the "Storefront" collection, whose
/// tests run one after another: the account's methods are given back before the next one starts.
/// </summary>
[Collection(StorefrontCollection.Name)]
public sealed class NoOnlineMethodBrowserTests(StorefrontStack shop)
{
    private static readonly string[] Capabilities = ["card_payments", "gopay_payments", "qris_payments"];

    [Fact]
    public Task With_no_method_left_by_Stripe_the_checkout_page_offers_only_the_kiosk() => shop.CapturingFailureAsync(async () =>
    {
        using var emulator = new HttpClient { BaseAddress = shop.Stack.StripeAddress };
        var offered = (await shop.Admin.Http.GetFromJsonAsync<JsonElement>($"/api/orders/merchants/{shop.CooperativeId}")).GetProperty("onlineMethods").GetArrayLength();
        try
        {
            await SetAllAsync(emulator, active: false);
            await OnlineMethodsWhenAsync(count => count == 0, "Orders to record that Stripe withdrew every method");

            var page = await shop.NewPhoneAsync();
            await page.GotoAsync($"/produk/{shop.FishCrackers.Id}");
            await page.ClickAsync("form.buy button[type=submit]");
            await StorefrontStack.InBasketAsync(page);
            await page.ClickAsync("a.button[href$='/bayar']");
            await StorefrontStack.ArrivedAtAsync(page, "**/bayar");

            var payment = page.Locator("fieldset:has(legend:text('Cara bayar'))");
            await Expect(payment.Locator("input[type=radio]")).ToHaveCountAsync(1);
            await Expect(payment.Locator("input[type=radio][value=kiosk]")).ToBeCheckedAsync();
            await Expect(payment).ToContainTextAsync("Bayar di kios (tunai atau QRIS) saat mengambil");
            await Expect(payment).Not.ToContainTextAsync("Bayar online");
            await StorefrontStack.AccessibleAsync(page, "checkout-no-online-method");
        }
        finally
        {
            await SetAllAsync(emulator, active: true);
            await OnlineMethodsWhenAsync(count => count == offered, "Orders to record that Stripe gave the methods back");
        }
    });

    private async Task SetAllAsync(HttpClient emulator, bool active)
    {
        foreach (var capability in Capabilities)
        {
            (await emulator.PostAsJsonAsync($"/_emulator/accounts/{shop.StripeAccount}/capabilities/{capability}", new { active })).EnsureSuccessStatusCode();
        }
    }

    private Task<JsonElement> OnlineMethodsWhenAsync(Func<int, bool> count, string because) =>
        Eventually.GetAsync(
            () => shop.Admin.Http.GetFromJsonAsync<JsonElement>($"/api/orders/merchants/{shop.CooperativeId}"),
            m => count(m.GetProperty("onlineMethods").GetArrayLength()),
            TimeSpan.FromSeconds(60),
            because);
}
