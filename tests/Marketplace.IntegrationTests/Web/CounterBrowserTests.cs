using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Marketplace.IntegrationTests.Web;

/// <summary>
/// Walk-in sales at the kiosk, as a clerk (kasir) does them on her phone: the till, the sale screen, the receipt, a sale
/// made without a signal, a till closed with a difference, and goods sold that the records say are gone.
/// </summary>
[Collection(StorefrontCollection.Name)]
public sealed class CounterBrowserTests(StorefrontStack shop)
{
    [Fact]
    public Task A_clerk_opens_a_till_sells_three_packets_of_two_makers_for_cash_with_change_and_prints_the_receipt() => shop.CapturingFailureAsync(async () =>
    {
        var page = await shop.ClerkSignedInAsync("Mbak Dewi", "dewi");

        // She is the counter's, nothing else.
        await page.GotoAsync($"/admin/kiosk?koperasi={shop.CooperativeId}");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Tidak ada akses");
        await page.GotoAsync("/anggota");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Tidak ada akses");

        var session = await OpenTillAsync(page);
        await StorefrontStack.AccessibleAsync(page, "counter-1-till-open");
        await page.ClickAsync("[data-testid=sell]");
        await StorefrontStack.ArrivedAtAsync(page, $"**/kasir/jual?sesi={session}");

        var crackers = page.Locator($"#pos-grid [data-product='{shop.FishCrackers.Id}']");
        await crackers.ClickAsync();
        await crackers.ClickAsync();
        await page.ClickAsync($"#pos-grid [data-product='{shop.PandanBag.Id}']");
        await Expect(page.Locator("#pos-total")).ToHaveTextAsync("Rp 90.000");
        await page.FillAsync("#pos-tendered", "100000");
        await Expect(page.Locator("#pos-change")).ToHaveTextAsync("Kembalian Rp 10.000");
        await StorefrontStack.AccessibleAsync(page, "counter-2-sale-screen");
        await page.ClickAsync("#pos-record");

        await Expect(page.Locator("#pos-receipt [data-testid=receipt-number]")).ToContainTextAsync("Nota K-");
        await Expect(page.Locator("#pos-receipt")).ToContainTextAsync("Kembalian Rp 10.000");
        await StorefrontStack.ScreenshotAsync(page, "counter-3-sold-phone");
        await page.SetViewportSizeAsync(820, 1180);
        await StorefrontStack.ScreenshotAsync(page, "counter-3-sold-tablet");
        await page.SetViewportSizeAsync(390, 844);

        var receipt = await page.Locator("#pos-receipt-link").GetAttributeAsync("href");
        Assert.NotNull(receipt);
        await page.GotoAsync(new Uri(receipt).PathAndQuery);
        var lines = page.Locator("[data-testid=receipt-line]");
        await Expect(lines).ToHaveCountAsync(2);
        await Expect(lines.Filter(new() { HasText = shop.FishCrackers.Name })).ToContainTextAsync("2 ×");
        await Expect(lines.Filter(new() { HasText = shop.FishCrackers.Name })).ToContainTextAsync("oleh Bu Siti");
        await Expect(lines.Filter(new() { HasText = shop.PandanBag.Name })).ToContainTextAsync("oleh Bu Ani");
        await Expect(page.Locator("[data-testid=receipt-total]")).ToHaveTextAsync("Rp 90.000");
        await Expect(page.Locator("[data-testid=receipt-paid]")).ToHaveTextAsync("Rp 100.000");
        await Expect(page.Locator("[data-testid=receipt-change]")).ToHaveTextAsync("Rp 10.000");
        await Expect(page.Locator("[data-testid=receipt-clerk]")).ToHaveTextAsync("Mbak Dewi");
        await Expect(page.Locator(".receipt-qr svg")).ToBeVisibleAsync();
        await StorefrontStack.AccessibleAsync(page, "counter-4-receipt");

        var pdf = await page.APIRequest.GetAsync((await page.Locator("[data-testid=receipt-pdf]").GetAttributeAsync("href"))!);
        Assert.Equal(200, pdf.Status);
        Assert.StartsWith("%PDF", System.Text.Encoding.ASCII.GetString((await pdf.BodyAsync())[..4]), StringComparison.Ordinal);

        // The link is the key: without it there is no receipt.
        await page.GotoAsync(new Uri(receipt).AbsolutePath);
        await Expect(page.Locator("h1")).ToHaveTextAsync("Nota tidak ditemukan");
    });

    [Fact]
    public Task A_QRIS_sale_asks_for_the_payment_reference_at_its_field_first() => shop.CapturingFailureAsync(async () =>
    {
        // QRIS is offered once the cooperative has set its sticker's code (whichever test runs first).
        var body = "00020101021153033605802ID5914Koperasi Binor6011Probolinggo6304";
        var qris = body + Marketplace.Orders.Merchants.Qris.Crc16CcittFalse(body).ToString("X4", CultureInfo.InvariantCulture);
        (await shop.Admin.Http.PutAsJsonAsync($"/api/orders/merchants/{shop.CooperativeId}/qris", new { payload = qris })).EnsureSuccessStatusCode();
        var page = await shop.ClerkSignedInAsync("Mbak Dewi", "dewi");
        var session = await OpenTillAsync(page);
        await page.GotoAsync($"/kasir/jual?sesi={session}");
        await page.ClickAsync($"#pos-grid [data-product='{shop.PandanBag.Id}']");
        await page.CheckAsync("input[name=channel][value=qris]");
        await page.ClickAsync("#pos-record");
        await Expect(page.Locator("#pos-reference-error")).ToHaveTextAsync("Tulis nomor referensi dari bukti pembayaran QRIS.");
        await Expect(page.Locator("#pos-reference")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator("#pos-done")).ToBeHiddenAsync();
        await StorefrontStack.AccessibleAsync(page, "counter-5-qris-reference-missing");

        await page.FillAsync("#pos-reference", "QR-77120045");
        await page.ClickAsync("#pos-record");
        await Expect(page.Locator("#pos-receipt [data-testid=receipt-number]")).ToContainTextAsync("Nota K-");
        await Expect(page.Locator("#pos-receipt")).ToContainTextAsync("QRIS QR-77120045");

        var receipt = await page.Locator("#pos-receipt-link").GetAttributeAsync("href");
        await page.GotoAsync(new Uri(receipt!).PathAndQuery);
        await Expect(page.Locator("[data-testid=receipt-paid]")).ToHaveTextAsync("Rp 40.000");
        await Expect(page.Locator(".receipt-sums")).ToContainTextAsync("QR-77120045");
    });

    [Fact]
    public Task A_sale_made_without_a_signal_waits_on_the_device_is_sent_once_when_back_online_and_sending_it_again_changes_nothing() => shop.CapturingFailureAsync(async () =>
    {
        var page = await shop.ClerkSignedInAsync("Mbak Dewi", "dewi");
        var session = await OpenTillAsync(page);
        await page.GotoAsync($"/kasir/jual?sesi={session}");
        await Expect(page.Locator($"#pos-grid [data-product='{shop.FishCrackers.Id}']")).ToBeVisibleAsync();
        // The page, its script and the products are kept on the device for opening it again without a signal.
        await Expect(page.Locator("#pos[data-offline-ready=true]")).ToHaveCountAsync(1);
        string? sent = null;
        page.Request += (_, request) =>
        {
            if (request.Method == "POST" && request.Url.EndsWith("/sales", StringComparison.Ordinal))
            {
                sent = request.PostData;
            }
        };

        await page.Context.SetOfflineAsync(true);
        await page.ClickAsync($"#pos-grid [data-product='{shop.FishCrackers.Id}']");
        await page.ClickAsync("[data-tender=exact]");
        await page.ClickAsync("#pos-record");
        var waiting = page.Locator("#pos-queue li[data-state=waiting]");
        await Expect(waiting).ToHaveCountAsync(1);
        await Expect(waiting).ToContainTextAsync("menunggu dikirim");
        await Expect(page.Locator("#pos-connection")).ToContainTextAsync("1 penjualan menunggu dikirim");
        await Expect(page.Locator("#pos-receipt [data-testid=receipt-number]")).ToHaveTextAsync("Nota (menunggu dikirim)");
        await StorefrontStack.AccessibleAsync(page, "counter-6-offline-waiting");
        var saleId = Guid.Parse((await waiting.GetAttributeAsync("data-sale"))!);
        var before = await ReportAsync(session);

        // Still without a signal, the screen opens again from the device: the products and the waiting sale are there.
        await page.ReloadAsync();
        await Expect(page.Locator($"#pos-grid [data-product='{shop.FishCrackers.Id}']")).ToBeVisibleAsync();
        await Expect(page.Locator($"#pos-queue li[data-sale='{saleId}'][data-state=waiting]")).ToHaveCountAsync(1);
        await Expect(page.Locator("#pos-connection")).ToContainTextAsync("1 penjualan menunggu dikirim");

        await page.Context.SetOfflineAsync(false);
        var done = page.Locator($"#pos-queue li[data-sale='{saleId}'][data-state=sent]");
        await Expect(done).ToContainTextAsync("Nota K-");
        await Expect(page.Locator("#pos-connection")).ToContainTextAsync("Semua penjualan sudah terkirim.");
        await StorefrontStack.ScreenshotAsync(page, "counter-7-back-online-sent");

        // One order in Orders, under the id the device gave the sale.
        var sale = await shop.Admin.Http.GetFromJsonAsync<JsonElement>($"/api/orders/kiosk/{shop.CooperativeId}/sales/{saleId}");
        Assert.Equal(saleId, sale.GetProperty("orderId").GetGuid());
        var after = await ReportAsync(session);
        Assert.Equal(before.GetProperty("cashSalesCount").GetInt32() + 1, after.GetProperty("cashSalesCount").GetInt32());
        Assert.Equal(before.GetProperty("cashSalesRupiah").GetInt64() + 25_000, after.GetProperty("cashSalesRupiah").GetInt64());

        // The same sale sent again (a reply lost on the way back) answers the same receipt and records nothing more.
        Assert.NotNull(sent);
        using var again = new StringContent(sent, System.Text.Encoding.UTF8, "application/json");
        var replay = await shop.Admin.Http.PostAsync(new Uri($"/api/orders/kiosk/{shop.CooperativeId}/sales", UriKind.Relative), again);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        var replayed = await replay.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(sale.GetProperty("receiptNumber").GetString(), replayed.GetProperty("receiptNumber").GetString());
        var unchanged = await ReportAsync(session);
        Assert.Equal(after.GetProperty("cashSalesCount").GetInt32(), unchanged.GetProperty("cashSalesCount").GetInt32());
        Assert.Equal(after.GetProperty("expectedCashRupiah").GetInt64(), unchanged.GetProperty("expectedCashRupiah").GetInt64());
    });

    [Fact]
    public Task A_till_closed_with_a_difference_shows_it_in_the_Z_report_and_posts_it_to_the_till_difference_account() => shop.CapturingFailureAsync(async () =>
    {
        var page = await shop.ClerkSignedInAsync("Mbak Dewi", "dewi");
        await OpenTillAsync(page);
        var postedBefore = await TillDifferenceAsync();
        var expected = Digits(await page.Locator("[data-testid=x-report] [data-testid=expected]").TextContentAsync());

        // A count with no digits is refused at its field, the note kept.
        await page.FillAsync("#close-note", "Uang receh kurang");
        await page.ClickAsync("button:text('Tutup kas') >> nth=-1");
        await Expect(page.Locator("#counted-error")).ToContainTextAsync("Tulis jumlahnya dalam rupiah");
        await Expect(page.Locator("#close-note")).ToHaveValueAsync("Uang receh kurang");

        await page.FillAsync("#counted", (expected - 5_000).ToString("N0", CultureInfo.GetCultureInfo("id-ID")));
        await page.ClickAsync("button:text('Tutup kas') >> nth=-1");
        var z = page.Locator("[data-testid=z-report]");
        await Expect(z.Locator("[data-testid=difference]")).ToHaveTextAsync("kurang Rp 5.000");
        await Expect(z).ToContainTextAsync("Uang receh kurang");
        await Expect(z.Locator("[data-testid=awaits-review]")).ToHaveCountAsync(0);
        await Expect(page.Locator("form input[name='OpenPosted.Amount']")).ToBeVisibleAsync();
        await StorefrontStack.AccessibleAsync(page, "counter-8-z-report");

        // Five thousand short is posted between the cash received and the till's difference account.
        await Eventually.TrueAsync(async () => await TillDifferenceAsync() == postedBefore + 5_000, TimeSpan.FromSeconds(60), "the difference in the ledger");
    });

    [Fact]
    public Task A_product_showing_no_stock_still_sells_at_the_counter_and_the_shortage_is_flagged_for_the_admin() => shop.CapturingFailureAsync(async () =>
    {
        var product = await shop.PublishAsync(shop.Member, "kerupuk", $"Kerupuk Ikan Kakap {shop.Slug}", 30_000);
        await shop.KnownToOrdersAsync(product.Id);
        var details = await shop.Admin.Http.GetFromJsonAsync<JsonElement>($"/api/catalog/products/{product.Id}");
        var variant = details.GetProperty("variants")[0].GetProperty("id").GetGuid();
        var counted = await shop.Admin.Http.PostAsJsonAsync($"/api/catalog/cooperatives/{shop.CooperativeId}/stock-counts",
            new { lines = new[] { new { variantId = variant, counted = 0 } }, reason = "Rak kosong saat dihitung" });
        Assert.True(counted.IsSuccessStatusCode, await counted.Content.ReadAsStringAsync());

        var page = await shop.ClerkSignedInAsync("Mbak Dewi", "dewi");
        var session = await OpenTillAsync(page);
        await page.GotoAsync($"/kasir/jual?sesi={session}");
        var tile = page.Locator($"#pos-grid [data-product='{product.Id}']");
        await Expect(tile).ToContainTextAsync("stok tercatat 0");
        await tile.ClickAsync();
        await tile.ClickAsync();
        await page.ClickAsync("[data-tender=exact]");
        await page.ClickAsync("#pos-record");
        await Expect(page.Locator("#pos-receipt [data-testid=receipt-number]")).ToContainTextAsync("Nota K-");

        var admin = await shop.SignedInAsync(shop.AdminLogin);
        await Eventually.TrueAsync(async () =>
        {
            await admin.GotoAsync($"/admin/stok?koperasi={shop.CooperativeId}");
            return await admin.Locator($"[data-testid=shelf-row][data-variant='{variant}'] [data-testid=shortage]").CountAsync() == 1;
        }, TimeSpan.FromSeconds(60), "the shortage on the stock page");
        await Expect(admin.Locator($"[data-testid=shelf-row][data-variant='{variant}'] [data-testid=shortage]"))
            .ToHaveTextAsync("terjual di kios melebihi stok tercatat: 2 unit");
        await StorefrontStack.AccessibleAsync(admin, "counter-9-shortage-on-stock-page");
    });

    [Fact]
    public Task An_admin_sets_the_QRIS_and_the_difference_limit_refunds_a_counter_sale_from_the_till_and_reviews_a_difference_above_the_limit() => shop.CapturingFailureAsync(async () =>
    {
        var admin = await shop.SignedInAsync(shop.AdminLogin);
        await admin.GotoAsync($"/admin/kasir?koperasi={shop.CooperativeId}");
        await admin.FillAsync("#qris-payload", "bukan kode QRIS sama sekali");
        await admin.ClickAsync("button:text('Simpan QRIS')");
        await Expect(admin.Locator("#qris-payload-error")).ToContainTextAsync("Ini bukan kode QRIS yang utuh");
        await Expect(admin.Locator("#qris-payload")).ToHaveValueAsync("bukan kode QRIS sama sekali");
        var body = "00020101021153033605802ID5914Koperasi Binor6011Probolinggo6304";
        var crc = Marketplace.Orders.Merchants.Qris.Crc16CcittFalse(body).ToString("X4", CultureInfo.InvariantCulture);
        await admin.FillAsync("#qris-payload", body + (crc == "0000" ? "FFFF" : "0000"));
        await admin.ClickAsync("button:text('Simpan QRIS')");
        await Expect(admin.Locator("#qris-payload-error")).ToContainTextAsync("Angka periksa kode QRIS tidak cocok");
        await admin.FillAsync("#qris-payload", body + crc);
        await admin.ClickAsync("button:text('Simpan QRIS')");
        await Expect(admin.Locator(".alert.ok")).ToHaveTextAsync("QRIS koperasi disimpan.");
        Assert.Equal(HttpStatusCode.OK, (await shop.Admin.Http.GetAsync(new Uri($"/api/orders/kiosk/{shop.CooperativeId}/qris.svg", UriKind.Relative))).StatusCode);

        await admin.FillAsync("#threshold", "1.000");
        await admin.ClickAsync("button:text('Simpan batas')");
        await Expect(admin.Locator(".alert.ok")).ToHaveTextAsync("Batas selisih kas disimpan.");
        try
        {
            var clerk = await shop.ClerkSignedInAsync("Mbak Dewi", "dewi");
            var session = await OpenTillAsync(clerk);
            await clerk.GotoAsync($"/kasir/jual?sesi={session}");
            await clerk.ClickAsync($"#pos-grid [data-product='{shop.FishCrackers.Id}']");
            await clerk.ClickAsync("[data-tender=exact]");
            await clerk.ClickAsync("#pos-record");
            var sent = clerk.Locator("#pos-queue li[data-state=sent]").First;
            await Expect(sent).ToContainTextAsync("Nota K-");
            var orderId = Guid.Parse((await sent.GetAttributeAsync("data-sale"))!);
            var before = await ReportAsync(session);

            // The buyer brings the packet back: more than she bought is refused at the line, then one is refunded from the till.
            await admin.GotoAsync($"/admin/kasir/retur/{orderId}?koperasi={shop.CooperativeId}");
            var line = admin.Locator("input[name^='Form.Quantities']");
            await line.FillAsync("2");
            await admin.ClickAsync("button:text('Kembalikan uang tunai')");
            await Expect(admin.Locator(".field-error").First).ToHaveTextAsync("Lebih dari yang terjual dan belum dikembalikan.");
            await StorefrontStack.AccessibleAsync(admin, "counter-10-return-refused");
            await line.FillAsync("1");
            await admin.ClickAsync("button:text('Kembalikan uang tunai')");
            await Expect(admin.Locator(".alert.ok")).ToContainTextAsync("Uang dikembalikan dari kas");
            var refunded = await ReportAsync(session);
            Assert.Equal(before.GetProperty("cashRefundsRupiah").GetInt64() + 25_000, refunded.GetProperty("cashRefundsRupiah").GetInt64());
            Assert.Equal(before.GetProperty("expectedCashRupiah").GetInt64() - 25_000, refunded.GetProperty("expectedCashRupiah").GetInt64());

            // Closed three thousand over, above the limit: it waits for the admin, who reviews it.
            await clerk.GotoAsync("/kasir");
            await clerk.FillAsync("#counted", (refunded.GetProperty("expectedCashRupiah").GetInt64() + 3_000).ToString(CultureInfo.InvariantCulture));
            await clerk.ClickAsync("button:text('Tutup kas') >> nth=-1");
            await Expect(clerk.Locator("[data-testid=z-report] [data-testid=difference]")).ToHaveTextAsync("lebih Rp 3.000");
            await Expect(clerk.Locator("[data-testid=z-report] [data-testid=awaits-review]")).ToContainTextAsync("menunggu tinjauan admin");

            await admin.GotoAsync($"/admin/kasir?koperasi={shop.CooperativeId}");
            var waiting = admin.Locator("[data-testid=awaiting-review]").Filter(new() { HasText = "lebih Rp 3.000" });
            await Expect(waiting).ToHaveCountAsync(1);
            await StorefrontStack.AccessibleAsync(admin, "counter-11-admin-tills");
            await waiting.Locator("input[name='Review.Note']").FillAsync("Uang kembalian pembeli tertinggal, disimpan di laci");
            await waiting.Locator("button").ClickAsync();
            await Expect(admin.Locator(".alert.ok")).ToHaveTextAsync("Tinjauan disimpan.");
            await Expect(admin.Locator("[data-testid=awaiting-review]").Filter(new() { HasText = "lebih Rp 3.000" })).ToHaveCountAsync(0);
            Assert.False((await ReportAsync(session)).GetProperty("awaitsReview").GetBoolean());
        }
        finally
        {
            (await shop.Admin.Http.PutAsJsonAsync($"/api/orders/merchants/{shop.CooperativeId}/till-settings", new { differenceReviewRupiah = 10_000 })).EnsureSuccessStatusCode();
        }
    });

    /// <summary>On the till page: opens the till "Kios" unless a session is open already (another test's), and answers its id.</summary>
    private static async Task<Guid> OpenTillAsync(IPage page)
    {
        await page.GotoAsync("/kasir");
        var floatField = page.Locator("input[name='OpenPosted.Amount']");
        if (await floatField.CountAsync() > 0)
        {
            // Nothing typed: refused at the field, in words.
            await page.ClickAsync("button:text('Buka kas')");
            await Expect(page.Locator("[id^=float-][id$=-error]")).ToHaveTextAsync("Tulis jumlahnya dalam rupiah, misalnya 50.000.");
            await page.FillAsync("input[name='OpenPosted.Amount']", "100.000");
            await page.ClickAsync("button:text('Buka kas')");
            await Expect(page.Locator(".alert.ok")).ToHaveTextAsync("Kas dibuka.");
        }

        await Expect(page.Locator("[data-testid=x-report]")).ToBeVisibleAsync();
        var sell = await page.Locator("[data-testid=sell]").GetAttributeAsync("href");
        return Guid.Parse(sell![(sell!.IndexOf("sesi=", StringComparison.Ordinal) + 5)..]);
    }

    private async Task<JsonElement> ReportAsync(Guid session) =>
        await shop.Admin.Http.GetFromJsonAsync<JsonElement>($"/api/orders/kiosk/{shop.CooperativeId}/till-sessions/{session}");

    private async Task<long> TillDifferenceAsync()
    {
        var trial = await shop.Admin.Http.GetFromJsonAsync<JsonElement>($"/api/settlement/cooperatives/{shop.CooperativeId}/trial-balance");
        return trial.EnumerateArray().Where(b => b.GetProperty("account").GetString() == "till:difference").Sum(b => b.GetProperty("balanceRupiah").GetInt64());
    }

    private static long Digits(string? text) => long.Parse(new string((text ?? string.Empty).Where(char.IsAsciiDigit).ToArray()), CultureInfo.InvariantCulture);
}
