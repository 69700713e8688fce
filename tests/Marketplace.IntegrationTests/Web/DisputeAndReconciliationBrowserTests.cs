using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Marketplace.IntegrationTests.Web;

/// <summary>
/// The admin on her phone: Stripe's payout to the cooperative's bank, matched to the books with the payment nobody here
/// knows of shown as unmatched; then a shopper's bank disputes a card order, and she sees it with the deadline to answer
/// in Stripe's dashboard, in Indonesian and in English.
/// </summary>
[Collection("Storefront")]
public sealed class DisputeAndReconciliationBrowserTests(StorefrontStack shop)
{
    [Fact]
    public Task The_admin_sees_a_payout_reconciled_with_its_unmatched_line_and_an_open_dispute_with_its_deadline() => shop.CapturingFailureAsync(async () =>
    {
        using var emulator = new HttpClient { BaseAddress = shop.Stack.StripeAddress };
        var stripe = new Stripe.StripeClient(new Stripe.StripeClientOptions { ApiKey = "sk_test_browser", ApiBase = shop.Stack.StripeAddress!.ToString().TrimEnd('/') });
        var account = new Stripe.RequestOptions { StripeAccount = shop.StripeAccount };

        // A shopper pays the member's crackers by card on Stripe's page.
        var page = await shop.NewPhoneAsync();
        await page.GotoAsync($"/produk/{shop.FishCrackers.Id}");
        await page.ClickAsync("form.buy button[type=submit]");
        await StorefrontStack.InBasketAsync(page);
        await page.ClickAsync("a.button[href$='/bayar']");
        await page.FillAsync("#name", "Turis Ragu");
        await page.FillAsync("#whatsApp", "0813 6666 7777");
        await page.FillAsync("#pickupDate", StorefrontStack.Tomorrow());
        await page.CheckAsync("input[type=radio][value=card]");
        await page.ClickAsync("form.stacked button[type=submit]");
        await StorefrontStack.ArrivedAtAsync(page, $"{shop.Stack.StripeAddress}checkout/**", 45_000);
        var sessionId = page.Url[(page.Url.LastIndexOf('/') + 1)..];
        await page.ClickAsync("button:has-text('Pay')");
        await Expect(page.Locator("[data-status=Paid]")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 30_000 });
        var intentId = (await new Stripe.Checkout.SessionService(stripe).GetAsync(sessionId, null, account)).PaymentIntentId;

        // Someone took a payment on the cooperative's Stripe account outside the marketplace; then Stripe pays the balance out.
        var outside = await new Stripe.Checkout.SessionService(stripe).CreateAsync(new Stripe.Checkout.SessionCreateOptions
        {
            Mode = "payment",
            SuccessUrl = "https://binor.example/",
            LineItems = [new() { Quantity = 1, PriceData = new() { Currency = "idr", UnitAmount = 10_000_000, ProductData = new() { Name = "Sewa perahu" } } }],
        }, account);
        (await emulator.PostAsJsonAsync($"/_emulator/checkout/{outside.Id}/pay", new { card = "4242 4242 4242 4242" })).EnsureSuccessStatusCode();
        await Eventually.TrueAsync(async () => (await shop.Admin.Http.GetFromJsonAsync<JsonElement[]>($"/api/settlement/cooperatives/{shop.CooperativeId}/trial-balance"))!
            .Any(b => b.GetProperty("account").GetString() == "received:card"), TimeSpan.FromSeconds(30), "the sale to be in the books");
        var payout = await emulator.PostAsJsonAsync("/_emulator/payouts", new { account = shop.StripeAccount });
        Assert.True(payout.IsSuccessStatusCode, await payout.Content.ReadAsStringAsync());
        await Eventually.TrueAsync(async () => (await shop.Admin.Http.GetFromJsonAsync<JsonElement[]>($"/api/settlement/cooperatives/{shop.CooperativeId}/stripe-payouts"))!.Length > 0,
            TimeSpan.FromSeconds(30), "the payout to be reconciled");

        var admin = await shop.SignedInAsync(shop.AdminLogin);
        await admin.GotoAsync("/admin/pembayaran");
        await admin.ClickAsync("a[href='/admin/rekonsiliasi-stripe']");
        await Expect(admin.Locator("[data-testid=payout-unmatched]").First).ToContainTextAsync("tidak cocok");
        await Expect(admin.Locator("[data-testid=stripe-payout]").First).ToContainTextAsync("tidak dikenal");
        await Expect(admin.Locator("[data-testid=stripe-payout]").First).ToContainTextAsync("Rp 94.600");
        // Its amounts are kept whole ("Rp" never alone at a line's end), and the table still fits her phone.
        await StorefrontStack.FitsThePhoneAsync(admin, "the Stripe payouts page");
        await StorefrontStack.AccessibleAsync(admin, "stripe-payout-reconciliation");

        // The shopper's bank disputes the bag's payment.
        (await emulator.PostAsJsonAsync("/_emulator/disputes", new { paymentIntent = intentId, account = shop.StripeAccount, reason = "product_not_received" })).EnsureSuccessStatusCode();
        await Eventually.TrueAsync(async () => (await shop.Admin.Http.GetFromJsonAsync<JsonElement[]>($"/api/orders/cooperatives/{shop.CooperativeId}/disputes"))!.Length > 0,
            TimeSpan.FromSeconds(30), "the dispute to be recorded");
        await admin.GotoAsync("/admin/pesanan");
        // The order itself is flagged, in the list and on its own page, with the deadline to answer.
        var badge = admin.Locator("[data-testid=dispute-badge]");
        await Expect(badge.First).ToContainTextAsync("Sengketa kartu: perlu dijawab · jawab sebelum");
        await StorefrontStack.ScreenshotAsync(admin, "orders-dispute-badge");
        await admin.ClickAsync("tr:has([data-testid=dispute-badge]) a.code");
        await Expect(badge).ToContainTextAsync("perlu dijawab");
        await StorefrontStack.ScreenshotAsync(admin, "order-dispute-badge");
        await admin.GotoAsync("/admin/pesanan");
        await admin.ClickAsync("a[href='/admin/sengketa']");
        var open = admin.Locator("[data-testid=open-disputes]");
        await Expect(open).ToContainTextAsync("Barang tidak diterima");
        await Expect(open).ToContainTextAsync("hari lagi");
        await Expect(admin.Locator("[data-testid=answer-in-stripe]")).ToContainTextAsync("dasbor Stripe");
        await StorefrontStack.AccessibleAsync(admin, "disputes-open");

        await admin.GotoAsync("/bahasa/en?kembali=/admin/sengketa");
        await Expect(admin.Locator("[data-testid=open-disputes]")).ToContainTextAsync("Goods not received");
        await Expect(admin.Locator("[data-testid=answer-in-stripe]")).ToContainTextAsync("Stripe's dashboard");
        await StorefrontStack.ScreenshotAsync(admin, "disputes-open-english");
        await admin.GotoAsync("/admin/rekonsiliasi-stripe");
        await Expect(admin.Locator("[data-testid=payout-unmatched]").First).ToContainTextAsync("do not match");
        await StorefrontStack.ScreenshotAsync(admin, "stripe-payout-reconciliation-english");
        await admin.GotoAsync("/bahasa/id?kembali=/admin/sengketa");

        // The member sees her share of it held, in her words.
        var member = await shop.SignedInAsync(shop.MemberLogin);
        await member.GotoAsync("/anggota/uang");
        await Expect(member.Locator("dl.balances")).ToContainTextAsync("Ditahan: pembayaran kartu disanggah bank pembeli");
        // Her history's table, not the chart's data table kept for screen readers.
        await Expect(member.Locator("table", new() { HasText = "Ditahan sementara" })).ToBeVisibleAsync();
        await StorefrontStack.AccessibleAsync(member, "member-money-held-for-dispute");
    });
}
