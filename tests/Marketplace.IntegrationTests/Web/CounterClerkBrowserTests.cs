using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Orders;
using Marketplace.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Marketplace.IntegrationTests.Web;

/// <summary>
/// The clerk's own screens beyond selling: finding a product by name and by maker, a return from her list of today's
/// sales (in English too), the sale screen without a QRIS, and signing out of a shared phone.
/// </summary>
[Collection(StorefrontCollection.Name)]
public sealed class CounterClerkBrowserTests(StorefrontStack shop)
{
    [Fact]
    public Task A_clerk_finds_products_by_name_and_maker_sells_and_returns_a_packet_from_her_list_of_todays_sales_in_both_languages() => shop.CapturingFailureAsync(async () =>
    {
        var page = await shop.ClerkSignedInAsync("Mbak Rina", "rina");
        var session = await OpenTillAsync(page);
        await page.GotoAsync($"/kasir/jual?sesi={session}");
        var crackers = page.Locator($"#pos-grid [data-product='{shop.FishCrackers.Id}']");
        var bag = page.Locator($"#pos-grid [data-product='{shop.PandanBag.Id}']");
        await Expect(crackers).ToBeVisibleAsync();

        // By the product's name, then by its maker's.
        await page.FillAsync("#pos-search", $"tengiri {shop.Slug}");
        await Expect(crackers).ToBeVisibleAsync();
        await Expect(bag).ToHaveCountAsync(0);
        await page.FillAsync("#pos-search", "bu ani");
        await Expect(bag).ToBeVisibleAsync();
        await Expect(crackers).ToHaveCountAsync(0);
        await StorefrontStack.ScreenshotAsync(page, "clerk-1-found-by-maker");
        await page.FillAsync("#pos-search", string.Empty);

        await crackers.ClickAsync();
        await crackers.ClickAsync();
        await page.ClickAsync("[data-tender=exact]");
        await page.ClickAsync("#pos-record");
        await Expect(page.Locator("#pos-receipt [data-testid=receipt-number]")).ToContainTextAsync("Nota K-");
        // The slip printed from this screen names the clerk.
        await Expect(page.Locator("#pos-receipt [data-testid=receipt-clerk]")).ToHaveTextAsync("Kasir: Mbak Rina");
        var receiptNumber = (await page.Locator("#pos-receipt [data-testid=receipt-number]").TextContentAsync())!.Replace("Nota ", string.Empty, StringComparison.Ordinal).Trim();

        // Her list of today's sales, and the return from it: one of the two packets comes back, refunded from the till.
        var before = await ReportAsync(session);
        await page.ClickAsync("nav a:text('Penjualan')");
        var sale = page.Locator($"[data-testid=sale][data-receipt='{receiptNumber}']");
        await Expect(sale).ToContainTextAsync("Rp 50.000");
        await StorefrontStack.AccessibleAsync(page, "clerk-2-todays-sales");
        await sale.Locator("[data-testid=return]").ClickAsync();
        await Expect(page.Locator("h1")).ToContainTextAsync(receiptNumber);
        await page.Locator("input[name^='Form.Quantities']").First.FillAsync("3");
        await page.ClickAsync("button:text('Kembalikan uang tunai')");
        await Expect(page.Locator(".field-error").First).ToContainTextAsync("Lebih dari yang terjual");
        await page.Locator("input[name^='Form.Quantities']").First.FillAsync("1");
        await page.ClickAsync("button:text('Kembalikan uang tunai')");
        await Expect(page.Locator(".alert.ok")).ToHaveTextAsync("Uang dikembalikan dari kas dan barang kembali ke rak.");
        await StorefrontStack.AccessibleAsync(page, "clerk-3-returned");
        var after = await ReportAsync(session);
        Assert.Equal(before.GetProperty("cashRefundsRupiah").GetInt64() + 25_000, after.GetProperty("cashRefundsRupiah").GetInt64());

        // In English: the sale screen and the list say it in her language.
        await page.GotoAsync(Language("en", "/kasir/penjualan"));
        await Expect(page.Locator("h1")).ToContainTextAsync("Today's sales");
        await Expect(page.Locator($"[data-testid=sale][data-receipt='{receiptNumber}']")).ToContainTextAsync("Rp 25.000 refunded");
        await StorefrontStack.AccessibleAsync(page, "clerk-4-todays-sales-en");
        await page.GotoAsync($"/kasir/jual?sesi={session}");
        await Expect(page.Locator("#pos-title")).ToContainTextAsync("Sell");
        await Expect(page.Locator("label[for=pos-search]")).ToHaveTextAsync("Find a product, maker or SKU");
        await page.FillAsync("#pos-search", "bu ani");
        await Expect(page.Locator($"#pos-grid [data-product='{shop.PandanBag.Id}']")).ToBeVisibleAsync();
        await page.ClickAsync($"#pos-grid [data-product='{shop.PandanBag.Id}']");
        await Expect(page.Locator("#pos-total")).ToHaveTextAsync("Rp 40.000");
        await page.FillAsync("#pos-tendered", "50000");
        await Expect(page.Locator("#pos-change")).ToHaveTextAsync("Change Rp 10.000");
        await StorefrontStack.AccessibleAsync(page, "clerk-5-sale-screen-en");
        await page.GotoAsync(Language("id", "/kasir"));
    });

    [Fact]
    public Task Without_a_QRIS_the_sale_screen_says_so_in_words_and_QRIS_cannot_be_chosen() => shop.CapturingFailureAsync(async () =>
    {
        var page = await shop.ClerkSignedInAsync("Mbak Rina", "rina");
        var session = await OpenTillAsync(page);
        await using var scope = shop.Stack.OrdersHost.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrdersDbContext>();
        var kept = await db.Merchants.Where(m => m.CooperativeId == shop.CooperativeId).Select(m => m.QrisPayload).SingleAsync();
        await db.Merchants.Where(m => m.CooperativeId == shop.CooperativeId).ExecuteUpdateAsync(s => s.SetProperty(m => m.QrisPayload, (string?)null));
        try
        {
            await page.GotoAsync($"/kasir/jual?sesi={session}");
            await Expect(page.Locator("[data-testid=no-qris]")).ToContainTextAsync("Koperasi belum memasang kode QRIS-nya");
            await Expect(page.Locator("input[name=channel][value=qris]")).ToBeDisabledAsync();
            await Expect(page.Locator("#pos-qris-code")).ToHaveCountAsync(0);
            await StorefrontStack.AccessibleAsync(page, "clerk-6-no-qris");
            await page.GotoAsync(Language("en", $"/kasir/jual?sesi={session}"));
            await Expect(page.Locator("[data-testid=no-qris]")).ToContainTextAsync("The cooperative has not set its QRIS code yet");
            await page.GotoAsync(Language("id", "/kasir"));
        }
        finally
        {
            await db.Merchants.Where(m => m.CooperativeId == shop.CooperativeId).ExecuteUpdateAsync(s => s.SetProperty(m => m.QrisPayload, kept));
        }
    });

    [Fact]
    public Task Signing_out_of_a_shared_phone_clears_the_sale_screen_and_a_sale_not_yet_sent_is_never_sent_under_the_next_persons_sign_in() => shop.CapturingFailureAsync(async () =>
    {
        var page = await shop.ClerkSignedInAsync("Mbak Rina", "rina");
        var session = await OpenTillAsync(page);
        await page.GotoAsync($"/kasir/jual?sesi={session}");
        await Expect(page.Locator("#pos[data-offline-ready=true]")).ToHaveCountAsync(1);

        // The signal is gone for the sales: the sale waits on the phone.
        await page.RouteAsync("**/api/orders/kiosk/*/sales", route => route.AbortAsync());
        await page.ClickAsync($"#pos-grid [data-product='{shop.FishCrackers.Id}']");
        await page.ClickAsync("[data-tender=exact]");
        await page.ClickAsync("#pos-record");
        var waiting = page.Locator("#pos-queue li[data-state=waiting]");
        await Expect(waiting).ToHaveCountAsync(1);
        var saleId = Guid.Parse((await waiting.GetAttributeAsync("data-sale"))!);

        // Signing out first tries to send it; it cannot, so she is told, and signs out only when she chooses to.
        await page.ClickAsync("form[data-pos-signout] button[type=submit]:not([data-pos-anyway])");
        await Expect(page.Locator("[data-pos-unsent]")).ToContainTextAsync("1 penjualan belum terkirim");
        await StorefrontStack.AccessibleAsync(page, "clerk-7-sign-out-unsent");
        await page.ClickAsync("[data-pos-anyway]");
        await Expect(page).Not.ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/kasir"), new PageAssertionsToHaveURLOptions { Timeout = 60_000 });
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);

        // Only the waiting sale stays, tied to her; the products, receipts and kept pages are gone.
        var stored = await page.EvaluateAsync<JsonElement>(
            "async () => ({ keys: Object.keys(localStorage).filter(k => k.startsWith('pos.')), queue: Object.keys(localStorage).filter(k => k.startsWith('pos.queue.')).flatMap(k => JSON.parse(localStorage.getItem(k))), caches: (await caches.keys()).filter(n => n.startsWith('kasir-')) })");
        Assert.Equal([$"pos.queue.{shop.CooperativeId}"], stored.GetProperty("keys").EnumerateArray().Select(k => k.GetString()));
        var left = Assert.Single(stored.GetProperty("queue").EnumerateArray());
        Assert.Equal((saleId.ToString(), "waiting", "Mbak Rina"), (left.GetProperty("sale").GetProperty("saleId").GetString(), left.GetProperty("state").GetString(),
            left.GetProperty("clerkName").GetString()));
        Assert.Empty(stored.GetProperty("caches").EnumerateArray());

        // The admin signs in on the same phone with the signal back: the sale is shown as Rina's and is not sent as hers.
        await page.UnrouteAllAsync();
        var sent = 0;
        page.Request += (_, request) =>
        {
            if (request.Method == "POST" && request.Url.EndsWith("/sales", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref sent);
            }
        };
        await page.GotoAsync("/masuk");
        await page.FillAsync("#login", shop.AdminLogin);
        await page.FillAsync("#password", StorefrontStack.Password);
        await page.ClickAsync("form.stacked button[type=submit]");
        await StorefrontStack.OnAccountPageAsync(page);
        await page.GotoAsync($"/kasir/jual?sesi={session}&koperasi={shop.CooperativeId}");
        var hers = page.Locator($"#pos-queue li[data-sale='{saleId}'][data-state=waiting]");
        await Expect(hers).ToContainTextAsync("dibuat oleh Mbak Rina");
        await Expect(page.Locator("#pos-connection")).ToContainTextAsync("Semua penjualan sudah terkirim.");
        await StorefrontStack.ScreenshotAsync(page, "clerk-8-another-clerks-sale");
        Assert.Equal(0, sent);
        Assert.Equal(HttpStatusCode.NotFound, (await shop.Admin.Http.GetAsync(new Uri($"/api/orders/kiosk/{shop.CooperativeId}/sales/{saleId}", UriKind.Relative))).StatusCode);

        // Rina signs in again: her sale is sent, once.
        await page.ClickAsync("form[data-pos-signout] button[type=submit]:not([data-pos-anyway])");
        await Expect(page).Not.ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/kasir"), new PageAssertionsToHaveURLOptions { Timeout = 60_000 });
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
        await page.GotoAsync("/masuk");
        await page.FillAsync("#login", await shop.ClerkLoginAsync("Mbak Rina", "rina"));
        await page.FillAsync("#password", StorefrontStack.Password);
        await page.ClickAsync("form.stacked button[type=submit]");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"/kasir$"));
        await page.GotoAsync($"/kasir/jual?sesi={session}");
        await Expect(page.Locator($"#pos-queue li[data-sale='{saleId}'][data-state=sent]")).ToContainTextAsync("Nota K-");
        Assert.Equal(HttpStatusCode.OK, (await shop.Admin.Http.GetAsync(new Uri($"/api/orders/kiosk/{shop.CooperativeId}/sales/{saleId}", UriKind.Relative))).StatusCode);
    });

    [Fact]
    public Task A_recorded_sale_prints_from_its_receipt_page_with_its_QR_code_and_clerk_on_the_chosen_roll() => shop.CapturingFailureAsync(async () =>
    {
        var page = await shop.ClerkSignedInAsync("Mbak Rina", "rina");
        var session = await OpenTillAsync(page);
        await page.GotoAsync($"/kasir/jual?sesi={session}");
        await page.ClickAsync($"#pos-grid [data-product='{shop.PandanBag.Id}']");
        await page.ClickAsync("[data-tender=exact]");
        await page.ClickAsync("#pos-record");
        await Expect(page.Locator("#pos-receipt [data-testid=receipt-number]")).ToContainTextAsync("Nota K-");
        await page.SelectOptionAsync("#pos-paper", "80");

        var printed = await page.Context.RunAndWaitForPageAsync(() => page.ClickAsync("#pos-print"));
        await printed.WaitForLoadStateAsync();
        Assert.Contains("kertas=80", printed.Url, StringComparison.Ordinal);
        Assert.Contains("cetak=1", printed.Url, StringComparison.Ordinal);
        await Expect(printed.Locator("[data-testid=receipt].paper-80[data-autoprint]")).ToBeVisibleAsync();
        await Expect(printed.Locator(".receipt-qr svg")).ToBeVisibleAsync();
        await Expect(printed.Locator("[data-testid=receipt-clerk]")).ToHaveTextAsync("Mbak Rina");
    });

    /// <summary>Opens the till "Kios" unless a session is open already (another test's), and answers its id.</summary>
    private static async Task<Guid> OpenTillAsync(IPage page)
    {
        await page.GotoAsync("/kasir");
        if (await page.Locator("input[name='OpenPosted.Amount']").CountAsync() > 0)
        {
            await page.FillAsync("input[name='OpenPosted.Amount']", "200.000");
            await page.ClickAsync("button:text('Buka kas')");
            await Expect(page.Locator(".alert.ok")).ToHaveTextAsync("Kas dibuka.");
        }

        await Expect(page.Locator("[data-testid=x-report]").First).ToBeVisibleAsync();
        var sell = await page.Locator("[data-testid=sell]").First.GetAttributeAsync("href");
        return Guid.Parse(sell![(sell!.IndexOf("sesi=", StringComparison.Ordinal) + 5)..]);
    }

    /// <summary>The language switch, back to <paramref name="back"/>.</summary>
    private static string Language(string code, string back) => $"/bahasa/{code}?kembali={Uri.EscapeDataString(back)}";

    private async Task<JsonElement> ReportAsync(Guid session) =>
        await shop.Admin.Http.GetFromJsonAsync<JsonElement>(string.Create(CultureInfo.InvariantCulture, $"/api/orders/kiosk/{shop.CooperativeId}/till-sessions/{session}"));
}
