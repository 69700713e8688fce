using System.Net.Http.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Marketplace.IntegrationTests.Web;

/// <summary>
/// On a phone: the platform admin sets a rate, a visitor who chose US dollars sees an approximate price beside the
/// rupiah one, and once her order is paid its page offers the receipt and a kuitansi in her institution's name.
/// </summary>
[Collection("Storefront")]
public sealed class ReceiptBrowserTests(StorefrontStack shop)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);

    [Fact]
    public Task A_visitor_sees_an_approximate_price_and_her_paid_orders_page_offers_the_receipt_and_a_kuitansi() => shop.CapturingFailureAsync(async () =>
    {
        var admin = await shop.NewPhoneAsync();
        await admin.GotoAsync("/masuk");
        await admin.FillAsync("#login", GatewayStack.PlatformAdminEmail);
        await admin.FillAsync("#password", GatewayStack.PlatformAdminPassword);
        await admin.ClickAsync("form.stacked button[type=submit]");
        await StorefrontStack.ArrivedAtAsync(admin, "**/akun");
        await admin.GotoAsync("/admin/kurs");
        await admin.FillAsync("#rate-USD", "-5");
        await admin.ClickAsync("form.stacked button[type=submit]");
        await Expect(admin.Locator("#rate-USD-error")).ToContainTextAsync("lebih dari 0");
        await admin.FillAsync("#rate-USD", "16000");
        await admin.ClickAsync("form.stacked button[type=submit]");
        await Expect(admin.Locator(".alert.ok")).ToHaveTextAsync("Kurs disimpan.");
        await StorefrontStack.AccessibleAsync(admin, "receipt-1-rates");
        await StorefrontStack.FitsThePhoneAsync(admin, "the rates page");

        var cooperativeAdmin = await shop.SignedInAsync(shop.AdminLogin);
        await cooperativeAdmin.GotoAsync("/admin/pengaturan");
        await cooperativeAdmin.FillAsync("#receipt-address", "Jl. Raya Pantai Binor, Paiton, Probolinggo");
        await cooperativeAdmin.FillAsync("#receipt-npwp", "01.234.567");
        await cooperativeAdmin.ClickAsync("button:has-text('Simpan data bukti pembayaran')");
        await Expect(cooperativeAdmin.Locator("#receipt-npwp-error")).ToContainTextAsync("15 atau 16 angka");
        await Expect(cooperativeAdmin.Locator("#receipt-address")).ToHaveValueAsync("Jl. Raya Pantai Binor, Paiton, Probolinggo");
        await cooperativeAdmin.FillAsync("#receipt-npwp", "012345678901000");
        await cooperativeAdmin.ClickAsync("button:has-text('Simpan data bukti pembayaran')");
        await Expect(cooperativeAdmin.Locator("#receipt-npwp")).ToHaveValueAsync("01.234.567.8-901.000");
        await StorefrontStack.AccessibleAsync(cooperativeAdmin, "receipt-0-cooperative-details");

        var visitor = await shop.NewPhoneAsync();
        await visitor.GotoAsync($"/produk/{shop.FishCrackers.Id}");
        await Expect(visitor.Locator("[data-testid=approx-price]")).ToHaveCountAsync(0);
        await visitor.ClickAsync(".currency-picker summary");
        await visitor.ClickAsync(".currency-picker a[href^='/mata-uang/USD']");
        var approximate = visitor.Locator("form.buy [data-testid=approx-price]").First;
        await Expect(approximate).ToContainTextAsync("≈ US$ ");
        await Expect(approximate).ToContainTextAsync("perkiraan; pembayaran dalam rupiah");
        await StorefrontStack.AccessibleAsync(visitor, "receipt-2-approximate-price");
        await StorefrontStack.FitsThePhoneAsync(visitor, "a product page with an approximate price");

        await visitor.ClickAsync("form.buy button[type=submit]");
        await StorefrontStack.InBasketAsync(visitor);
        await visitor.ClickAsync("a.button[href$='/bayar']");
        await Expect(visitor.Locator("main [data-testid=approx-price]")).ToHaveCountAsync(0);
        await visitor.FillAsync("#name", "Ibu Guru");
        await visitor.FillAsync("#whatsApp", "0812 7777 3131");
        await visitor.FillAsync("#pickupDate", StorefrontStack.Tomorrow());
        await visitor.CheckAsync("input[type=radio][value=kiosk]");
        await visitor.ClickAsync("form.stacked button[type=submit]");
        await Expect(visitor.Locator("[data-status=AwaitingKioskPayment]")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = (float)Patience.TotalMilliseconds });
        await Expect(visitor.Locator("[data-testid=receipt-pdf]")).ToHaveCountAsync(0);
        var orderId = Guid.Parse(visitor.Url.Split('/')[^1].Split('?')[0]);
        (await shop.Admin.Http.PostAsJsonAsync($"/api/orders/kiosk/{shop.CooperativeId}/orders/{orderId}/payment", new { method = "qris", reference = "QR-GURU" })).EnsureSuccessStatusCode();

        await visitor.ReloadAsync();
        await Expect(visitor.Locator("[data-testid=receipt-pdf]")).ToHaveTextAsync("Unduh bukti pembayaran (PDF)");
        var pdf = await visitor.APIRequest.GetAsync(await visitor.Locator("[data-testid=receipt-pdf]").GetAttributeAsync("href") ?? "");
        Assert.Equal(200, pdf.Status);
        Assert.Equal("application/pdf", pdf.Headers["content-type"]);
        // Kept beside the screenshots, to be looked at as a shopper would.
        await File.WriteAllBytesAsync(Path.Combine(StorefrontStack.Artifacts, "receipt-5-receipt.pdf"), await pdf.BodyAsync());
        await visitor.ClickAsync("[data-testid=order-kuitansi] summary");
        await visitor.FillAsync("#kuitansi-npwp", "12.345");
        await visitor.ClickAsync("[data-testid=order-kuitansi] button[type=submit]");
        await Expect(visitor.Locator("#kuitansi-institution-error")).ToContainTextAsync("Tulis nama instansi");
        await Expect(visitor.Locator("#kuitansi-npwp-error")).ToContainTextAsync("15 atau 16 angka");
        await Expect(visitor.Locator("#kuitansi-npwp")).ToHaveValueAsync("12.345");
        await StorefrontStack.AccessibleAsync(visitor, "receipt-3-kuitansi-errors");
        await visitor.FillAsync("#kuitansi-institution", "SD Negeri 2 Binor");
        await visitor.FillAsync("#kuitansi-npwp", "");
        await visitor.FillAsync("#kuitansi-purpose", "hadiah perpisahan guru");
        await visitor.ClickAsync("[data-testid=order-kuitansi] button[type=submit]");
        await Expect(visitor.Locator("[data-testid=kuitansi-name]")).ToContainTextAsync("SD Negeri 2 Binor");
        var kuitansi = await visitor.APIRequest.GetAsync(await visitor.Locator("[data-testid=receipt-pdf]").GetAttributeAsync("href") ?? "");
        Assert.Equal(200, kuitansi.Status);
        await File.WriteAllBytesAsync(Path.Combine(StorefrontStack.Artifacts, "receipt-6-kuitansi.pdf"), await kuitansi.BodyAsync());
        await StorefrontStack.AccessibleAsync(visitor, "receipt-4-paid-order");
        await StorefrontStack.FitsThePhoneAsync(visitor, "a paid order's page with its receipt");
    });
}
