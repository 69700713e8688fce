using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Marketplace.IntegrationTests.Web;

/// <summary>
/// Cash at the kiosk goes through a till: the admin's kiosk page takes an online order's cash only into an open till,
/// and the sale screen prints a recorded sale from its receipt page, with its QR code, on the chosen roll.
/// </summary>
[Collection(StorefrontCollection.Name)]
public sealed class KioskTillBrowserTests(StorefrontStack shop)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public Task The_admin_takes_cash_for_a_pay_at_kiosk_order_only_into_an_open_till_and_the_till_expects_it() => shop.CapturingFailureAsync(async () =>
    {
        // No till open to begin with (another test's is closed as counted).
        foreach (var till in (await shop.Admin.Http.GetFromJsonAsync<JsonElement>($"/api/orders/kiosk/{shop.CooperativeId}/tills")).EnumerateArray())
        {
            if (till.GetProperty("openSession") is { ValueKind: JsonValueKind.Object } open)
            {
                var id = open.GetProperty("id").GetGuid();
                var report = await ReportAsync(id);
                (await shop.Admin.Http.PostAsJsonAsync($"/api/orders/kiosk/{shop.CooperativeId}/till-sessions/{id}/close",
                    new { countedRupiah = report.GetProperty("expectedCashRupiah").GetInt64(), note = "" })).EnsureSuccessStatusCode();
            }
        }

        using var guest = shop.Stack.NewBrowser();
        var product = await guest.Http.GetFromJsonAsync<JsonElement>($"/api/catalog/products/{shop.PandanBag.Id}");
        var variant = product.GetProperty("variants")[0].GetProperty("id").GetGuid();
        (await guest.Http.PutAsJsonAsync($"/api/orders/baskets/{shop.CooperativeId}/lines/{variant}", new { productId = shop.PandanBag.Id, quantity = 1 })).EnsureSuccessStatusCode();
        var placed = await guest.Http.PostAsJsonAsync($"/api/orders/baskets/{shop.CooperativeId}/checkout",
            new { name = "Ibu Tunai", whatsApp = "0812 5555 0101", fulfilment = "pickup", pickupDate = StorefrontStack.Tomorrow(), payment = "kiosk" });
        Assert.True(placed.IsSuccessStatusCode, await placed.Content.ReadAsStringAsync());
        var orderId = (await placed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var order = await Eventually.GetAsync(
            () => guest.Http.GetFromJsonAsync<JsonElement>($"/api/orders/orders/{orderId}"),
            o => o.GetProperty("status").GetString() == "awaitingKioskPayment", Patience, "the stock to be held");
        var code = order.GetProperty("pickupCode").GetString()!;
        var total = order.GetProperty("totalRupiah").GetInt64();

        var admin = await shop.SignedInAsync(shop.AdminLogin);
        await admin.GotoAsync($"/admin/kiosk?kode={code}");
        await Expect(admin.Locator("[data-testid=no-till-pay]")).ToContainTextAsync("Tidak ada kas yang terbuka");
        await admin.CheckAsync("input[name=method][value=cash]");
        await admin.ClickAsync("button:has-text('Catat pembayaran')");
        await Expect(admin.Locator(".alert.error")).ToHaveTextAsync("Buka sesi kas dulu: uang tunai masuk ke laci kas.");
        await Expect(admin.Locator("[data-status=AwaitingKioskPayment]")).ToBeVisibleAsync();
        await StorefrontStack.AccessibleAsync(admin, "kiosk-till-1-no-till");

        var session = await Counter.OpenSessionAsync(shop.Admin.Http, shop.CooperativeId, floatRupiah: 50_000);
        var before = await ReportAsync(session);
        await admin.GotoAsync($"/admin/kiosk?kode={code}");
        await Expect(admin.Locator("#till-pay option")).ToHaveTextAsync("Kios");
        await admin.CheckAsync("input[name=method][value=cash]");
        await StorefrontStack.AccessibleAsync(admin, "kiosk-till-2-till-open");
        await admin.ClickAsync("button:has-text('Catat pembayaran')");
        await Expect(admin.Locator("[data-status=Paid]")).ToBeVisibleAsync();

        var after = await ReportAsync(session);
        // In the drawer, so expected at closing; but an online order's payment, not a walk-in sale.
        Assert.Equal(before.GetProperty("kioskPaymentsRupiah").GetInt64() + total, after.GetProperty("kioskPaymentsRupiah").GetInt64());
        Assert.Equal(before.GetProperty("cashSalesRupiah").GetInt64(), after.GetProperty("cashSalesRupiah").GetInt64());
        Assert.Equal(before.GetProperty("expectedCashRupiah").GetInt64() + total, after.GetProperty("expectedCashRupiah").GetInt64());

        // The till's running report says so in words.
        await admin.GotoAsync($"/kasir?koperasi={shop.CooperativeId}");
        var running = admin.Locator("[data-testid=x-report]");
        await Expect(running.Locator("dt", new LocatorLocatorOptions { HasText = "Pesanan online dibayar tunai di sini" })).ToHaveTextAsync("Pesanan online dibayar tunai di sini (1)");
        await Expect(running.Locator("[data-testid=kiosk-payments]")).ToHaveTextAsync("Rp " + total.ToString("N0", System.Globalization.CultureInfo.GetCultureInfo("id-ID")));
        await StorefrontStack.AccessibleAsync(admin, "kiosk-till-3-report");
    });

    private async Task<JsonElement> ReportAsync(Guid session) =>
        await shop.Admin.Http.GetFromJsonAsync<JsonElement>($"/api/orders/kiosk/{shop.CooperativeId}/till-sessions/{session}");
}
