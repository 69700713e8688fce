using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Marketplace.ServiceDefaults.Formatting;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Marketplace.IntegrationTests.Web;

/// <summary>
/// Titip barang: a member announces from her phone the goods she brings to the kiosk, the admin counts them in and
/// accepts fewer of one line (with its reason), both read and print the same receipt, and the shelf grows only by what
/// was accepted. Shares the one running marketplace of the "Storefront" collection, so stock is compared before and after.
/// </summary>
[Collection(StorefrontCollection.Name)]
public sealed class DeliveryBrowserTests(StorefrontStack shop)
{
    [Fact]
    public Task A_member_announces_two_lines_the_admin_receives_part_both_see_the_receipt_and_stock_rises_by_what_was_accepted() => shop.CapturingFailureAsync(async () =>
    {
        var crackers = await SizeOfAsync(shop.FishCrackers.Id);
        var shrimp = await shop.PublishAsync(shop.Member, "kerupuk", $"Kerupuk Udang {shop.Slug}", 30_000);
        var shrimpSize = await SizeOfAsync(shrimp.Id);
        var crackersBefore = await OnHandAsync(shop.FishCrackers.Id);
        var shrimpBefore = await OnHandAsync(shrimp.Id);
        var today = LocalTime.Today(DateTimeOffset.UtcNow);

        var member = await shop.SignedInAsync(shop.MemberLogin);
        await member.GotoAsync("/anggota");
        await member.ClickAsync("nav.portal-nav a:has-text('Titip barang')");
        await StorefrontStack.ArrivedAtAsync(member, "**/anggota/titip");
        await member.SelectOptionAsync("#line-0-variant", crackers.ToString());
        await member.FillAsync("#line-0-quantity", "20");
        await member.FillAsync("#line-0-produced", Iso(today.AddDays(-3)));
        await member.FillAsync("#line-0-expires", Iso(today.AddDays(90)));
        await member.FillAsync("#line-0-cost", "12000");

        // A second line without script: the form comes back with one more row and the first one as typed.
        await member.ClickAsync("button:has-text('Tambah barang')");
        await Expect(member.Locator("[data-testid=delivery-row]")).ToHaveCountAsync(2);
        await Expect(member.Locator("#line-0-quantity")).ToHaveValueAsync("20");
        await Expect(member.Locator("#line-0-variant")).ToHaveValueAsync(crackers.ToString());
        await member.SelectOptionAsync("#line-1-variant", shrimpSize.ToString());
        await member.FillAsync("#line-1-quantity", "10");
        await member.FillAsync("#line-1-produced", Iso(today.AddDays(-20)));
        await member.FillAsync("#line-1-expires", Iso(today.AddDays(-1)));
        await member.FillAsync("#line-1-cost", "8000");

        // Expired goods are refused at their own row's field, in Indonesian, and nothing she typed is lost.
        await member.ClickAsync("button:has-text('Umumkan titipan')");
        await Expect(member.Locator("#line-1-expires-error")).ToHaveTextAsync("Barang ini sudah kedaluwarsa: tanggal kedaluwarsa paling cepat hari ini.");
        await Expect(member.Locator("#line-0-expires-error")).ToHaveCountAsync(0);
        await Expect(member.Locator("#line-0-quantity")).ToHaveValueAsync("20");
        await Expect(member.Locator("#line-1-cost")).ToHaveValueAsync("8000");
        await FitsThePhoneAsync(member);
        await StorefrontStack.AccessibleAsync(member, "delivery-1-member-mistake");

        await member.FillAsync("#line-1-expires", Iso(today.AddDays(60)));
        await member.ClickAsync("button:has-text('Umumkan titipan')");
        await StorefrontStack.ArrivedAtAsync(member, "**/anggota/titip/*?notice=delivery-announced");
        var receipt = member.Locator("[data-testid=delivery-receipt]");
        await Expect(receipt.Locator("[data-testid=delivery-state]")).ToHaveTextAsync("Menunggu diterima di kios");
        await Expect(receipt.Locator("[data-testid=delivery-line]")).ToHaveCountAsync(2);
        var number = (await receipt.Locator("h2 .code").InnerTextAsync()).Trim();
        await FitsThePhoneAsync(member);
        await StorefrontStack.AccessibleAsync(member, "delivery-2-member-announced");
        // Announcing puts nothing on the shelf.
        Assert.Equal(crackersBefore, await OnHandAsync(shop.FishCrackers.Id));
        Assert.Equal(shrimpBefore, await OnHandAsync(shrimp.Id));

        // The kiosk: it waits in the admin's list; she counts 8 of the 10 packs of shrimp crackers.
        var admin = await shop.SignedInAsync(shop.AdminLogin);
        await admin.GotoAsync("/admin/kiosk");
        await admin.ClickAsync("nav.portal-nav a:has-text('Titipan barang')");
        await StorefrontStack.ArrivedAtAsync(admin, "**/admin/titip?koperasi=*");
        var waiting = admin.Locator("[data-testid=waiting-delivery]", new PageLocatorOptions { HasText = number });
        await Expect(waiting).ToContainTextAsync("Bu Siti");
        await Expect(waiting).ToContainTextAsync($"20 × {shop.FishCrackers.Name}");
        await StorefrontStack.AccessibleAsync(admin, "delivery-3-admin-waiting");
        await waiting.Locator("a:has-text('Terima dan hitung')").ClickAsync();
        await StorefrontStack.ArrivedAtAsync(admin, "**/admin/titip/*");
        await Expect(admin.Locator("#receive-0-accepted")).ToHaveValueAsync("20");
        await Expect(admin.Locator("#receive-1-accepted")).ToHaveValueAsync("10");
        await admin.FillAsync("#receive-1-accepted", "8");
        await admin.ClickAsync("button:has-text('Terima titipan')");
        await Expect(admin.Locator("#receive-1-reason-error")).ToHaveTextAsync("Tulis alasan mengapa diterima lebih sedikit dari yang dibawa.");
        await Expect(admin.Locator("#receive-1-accepted")).ToHaveValueAsync("8");
        await FitsThePhoneAsync(admin);
        await StorefrontStack.AccessibleAsync(admin, "delivery-4-admin-reason-missing");
        Assert.Equal(crackersBefore, await OnHandAsync(shop.FishCrackers.Id));

        await admin.FillAsync("#receive-1-reason", "Dua bungkus kemasannya bocor");
        await admin.ClickAsync("button:has-text('Terima titipan')");
        await StorefrontStack.ArrivedAtAsync(admin, "**/admin/titip/*?notice=delivery-received");
        await Expect(admin.Locator("#receive-0-accepted")).ToHaveCountAsync(0);
        await ExpectReceiptAsync(admin.Locator("[data-testid=delivery-receipt]"), number);
        await FitsThePhoneAsync(admin);
        await StorefrontStack.AccessibleAsync(admin, "delivery-5-admin-received");
        await ExpectPdfAsync(admin);

        // The member sees the same receipt: what she brought, what was accepted and why not all.
        await member.GotoAsync("/anggota/titip");
        var mine = member.Locator("[data-testid=delivery]", new PageLocatorOptions { HasText = number });
        await Expect(mine).ToContainTextAsync("Diterima sebagian");
        await Expect(mine).ToContainTextAsync("Dibawa 30 unit, diterima 28 unit");
        await StorefrontStack.AccessibleAsync(member, "delivery-6-member-list");
        await mine.Locator("a").ClickAsync();
        await StorefrontStack.ArrivedAtAsync(member, "**/anggota/titip/*");
        await ExpectReceiptAsync(member.Locator("[data-testid=delivery-receipt]"), number);
        await FitsThePhoneAsync(member);
        await StorefrontStack.AccessibleAsync(member, "delivery-7-member-receipt");
        await ExpectPdfAsync(member);

        // On the shelf: exactly what was accepted, nothing of the two packs refused.
        Assert.Equal(crackersBefore + 20, await OnHandAsync(shop.FishCrackers.Id));
        Assert.Equal(shrimpBefore + 8, await OnHandAsync(shrimp.Id));
    });

    private static async Task ExpectReceiptAsync(ILocator receipt, string number)
    {
        await Expect(receipt.Locator("h2 .code")).ToHaveTextAsync(number);
        await Expect(receipt.Locator("[data-testid=delivery-state]")).ToHaveTextAsync("Diterima sebagian");
        await Expect(receipt.Locator("[data-testid=delivery-member]")).ToHaveTextAsync("Bu Siti");
        await Expect(receipt.Locator("[data-testid=delivery-received-by]")).ToHaveTextAsync("Bu Ketua");
        var lines = receipt.Locator("[data-testid=delivery-line]");
        await Expect(lines.Nth(0).Locator("[data-testid=line-announced]")).ToHaveTextAsync("20");
        await Expect(lines.Nth(0).Locator("[data-testid=line-accepted]")).ToHaveTextAsync("20");
        await Expect(lines.Nth(0).Locator("[data-testid=line-reason]")).ToHaveCountAsync(0);
        await Expect(lines.Nth(1).Locator("[data-testid=line-announced]")).ToHaveTextAsync("10");
        await Expect(lines.Nth(1).Locator("[data-testid=line-accepted]")).ToHaveTextAsync("8");
        await Expect(lines.Nth(1).Locator("[data-testid=line-reason]")).ToHaveTextAsync("Dua bungkus kemasannya bocor");
        await Expect(lines.Nth(1)).ToContainTextAsync("Rp 8.000");
        // 20 × Rp 12.000 + 8 × Rp 8.000: the cost of what went on the shelf.
        await Expect(receipt.Locator("[data-testid=delivery-totals]")).ToContainTextAsync("Rp 304.000");
    }

    /// <summary>The print link answers the receipt as a PDF, fetched with the page's own session.</summary>
    private static async Task ExpectPdfAsync(IPage page)
    {
        var link = page.Locator("[data-testid=receipt-pdf]");
        await Expect(link).ToHaveTextAsync("Cetak tanda terima (PDF)");
        var href = await link.GetAttributeAsync("href");
        var response = await page.Context.APIRequest.GetAsync(href!);
        Assert.Equal(200, response.Status);
        Assert.StartsWith("application/pdf", response.Headers["content-type"], StringComparison.Ordinal);
        Assert.Equal("%PDF", Encoding.ASCII.GetString((await response.BodyAsync())[..4]));
    }

    private static async Task FitsThePhoneAsync(IPage page) =>
        await StorefrontStack.FitsThePhoneAsync(page, "the page");

    private async Task<Guid> SizeOfAsync(Guid productId) =>
        (await ProductAsync(productId)).GetProperty("variants")[0].GetProperty("id").GetGuid();

    private async Task<int> OnHandAsync(Guid productId) =>
        (await ProductAsync(productId)).GetProperty("variants")[0].GetProperty("onHand").GetInt32();

    private async Task<JsonElement> ProductAsync(Guid productId) =>
        (await shop.Member.Http.GetFromJsonAsync<List<JsonElement>>("/api/catalog/products/mine"))!.Single(p => p.GetProperty("id").GetGuid() == productId);

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
