using System.Net.Http.Json;
using Marketplace.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Marketplace.IntegrationTests.Web;

/// <summary>
/// A new cooperative's admin connects Stripe from the settings page: Stripe's onboarding (the emulator's page) and back,
/// the account's state said in her words. Shares the one running marketplace of the "Storefront" collection.
/// </summary>
[Collection("Storefront")]
public sealed class StripeConnectBrowserTests(StorefrontStack shop)
{
    [Fact]
    public Task The_admin_presses_Hubungkan_Stripe_finishes_Stripes_pages_and_sees_card_payments_on() => shop.CapturingFailureAsync(async () =>
    {
        var slug = "stripe-" + StorefrontStack.Letters(6);
        using var platform = await shop.Stack.SignedInPlatformAdminAsync();
        var party = await shop.Stack.CooperativeWithAdminAndMemberAsync(platform, slug);
        await Eventually.TrueAsync(
            async () => (await party.Admin.Http.GetAsync(new Uri($"/api/orders/merchants/{party.Cooperative.Id}/stripe-account", UriKind.Relative))).IsSuccessStatusCode,
            TimeSpan.FromSeconds(30),
            "Orders to learn of the cooperative");

        var admin = await shop.SignedInAsync($"ketua@{slug}.test");
        await admin.GotoAsync("/admin/pengaturan");
        var stripe = admin.Locator("fieldset:has(legend:text('Pembayaran online (Stripe)'))");
        await Expect(stripe).ToContainTextAsync("Belum terhubung ke Stripe");
        await PictureAsync(stripe, "stripe-1-not-connected");

        // First visit: she saves her details but leaves before accepting Stripe's terms.
        await stripe.Locator("button:has-text('Hubungkan Stripe')").ClickAsync();
        await StorefrontStack.ArrivedAtAsync(admin, $"{shop.Stack.StripeAddress}connect/onboarding/**");
        await StorefrontStack.ScreenshotAsync(admin, "stripe-2-onboarding-page");
        await admin.ClickAsync("button:has-text('Simpan, lanjutkan nanti')");
        await StorefrontStack.ArrivedAtAsync(admin, $"**/admin/pengaturan?stripe=kembali&koperasi={party.Cooperative.Id}");
        await Expect(stripe).ToContainTextAsync("Terhubung ke Stripe");
        await Expect(stripe).ToContainTextAsync("Pembayaran online belum aktif");
        await Expect(stripe.Locator(".stripe-due")).ToContainTextAsync("persetujuan syarat layanan Stripe");
        await Expect(stripe).Not.ToContainTextAsync("tos_acceptance");
        await PictureAsync(stripe, "stripe-3-still-due");
        await StorefrontStack.AccessibleAsync(admin, "stripe-3-still-due-page");

        // She continues and completes: back on the page, payments and payouts are on and nothing is due.
        await stripe.Locator("button:has-text('Lanjutkan pendaftaran')").ClickAsync();
        await StorefrontStack.ArrivedAtAsync(admin, $"{shop.Stack.StripeAddress}connect/onboarding/**");
        await admin.ClickAsync("button:has-text('Selesaikan')");
        await StorefrontStack.ArrivedAtAsync(admin, $"**/admin/pengaturan?stripe=kembali&koperasi={party.Cooperative.Id}");
        await Expect(stripe).ToContainTextAsync("Pembayaran online aktif");
        await Expect(stripe).ToContainTextAsync("Pencairan ke rekening koperasi aktif");
        await Expect(stripe.Locator(".stripe-due")).ToHaveCountAsync(0);
        await Expect(stripe.Locator("button")).ToHaveCountAsync(0);
        await PictureAsync(stripe, "stripe-4-connected");
        await StorefrontStack.AccessibleAsync(admin, "stripe-4-connected-page");

        var merchant = await party.Admin.Http.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/orders/merchants/{party.Cooperative.Id}");
        Assert.True(merchant.GetProperty("takesCards").GetBoolean());
    });

    /// <summary>The Stripe part of the settings page alone, readable at phone width (the whole page is long).</summary>
    private static async Task PictureAsync(ILocator part, string name) =>
        await part.ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(StorefrontStack.Artifacts, name + ".png") });
}
