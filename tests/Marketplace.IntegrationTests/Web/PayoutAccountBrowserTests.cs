using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Marketplace.IntegrationTests.Web;

/// <summary>
/// A member can be paid: she keeps her profile and proposes her bank account in her portal, a second admin confirms
/// it, and only then does a payout carry it. Shares the one running marketplace of the "Storefront" collection.
/// </summary>
[Collection("Storefront")]
public sealed class PayoutAccountBrowserTests(StorefrontStack shop)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);

    [Fact]
    public Task A_member_enters_her_profile_and_bank_account_a_second_admin_confirms_it_and_the_payout_shows_it() => shop.CapturingFailureAsync(async () =>
    {
        await SellToTheMemberAsync();
        await Eventually.TrueAsync(
            async () => (await shop.Member.Http.GetFromJsonAsync<JsonElement>("/api/settlement/members/me/balance")).GetProperty("availableRupiah").GetInt64() > 0,
            Patience,
            "the member's share of the sale to be available");

        var member = await shop.SignedInAsync(shop.MemberLogin);
        await member.GotoAsync("/anggota/profil");
        await member.FillAsync("#businessName", "Kerupuk Bu Siti");
        await member.FillAsync("#village", "Desa Binor");
        await member.FillAsync("#story", "Sejak 2015 saya membuat kerupuk tengiri dari ikan hasil tangkapan suami di Pantai Binor.");
        await member.ClickAsync("button:has-text('Simpan profil')");
        await StorefrontStack.ArrivedAtAsync(member, "**/anggota/profil?notice=saved");
        await Expect(member.Locator("#village")).ToHaveValueAsync("Desa Binor");
        await Expect(member.Locator("#businessName")).ToHaveValueAsync("Kerupuk Bu Siti");

        // Two mistakes at once: no bank chosen, letters in the number. Both are named at their fields, what she typed stays.
        await member.FillAsync("#accountNumber", "0123-01-ABC");
        await member.FillAsync("#accountName", "Siti Aminah");
        await member.ClickAsync("form:has(#accountNumber) button[type=submit]");
        await Expect(member.Locator("#bank-error")).ToHaveTextAsync("Pilih bank.");
        await Expect(member.Locator("#accountNumber-error")).ToHaveTextAsync("Nomor rekening hanya berisi angka.");
        await Expect(member.Locator("#accountNumber")).ToHaveValueAsync("0123-01-ABC");
        await Expect(member.Locator("#accountName")).ToHaveValueAsync("Siti Aminah");
        await StorefrontStack.AccessibleAsync(member, "bank-1-member-mistakes");

        await member.SelectOptionAsync("#bank", "002");
        await member.FillAsync("#accountNumber", "0123-01-000123-56-7");
        await member.ClickAsync("form:has(#accountNumber) button[type=submit]");
        await StorefrontStack.ArrivedAtAsync(member, "**/anggota/profil?notice=saved");
        var pending = member.Locator("[data-testid=account-pending]");
        await Expect(pending).ToContainTextAsync("Menunggu konfirmasi pengurus");
        await Expect(pending).ToContainTextAsync("012301000123567");
        await StorefrontStack.AccessibleAsync(member, "bank-2-member-waiting-for-confirmation");

        // Prepared before anyone confirmed: she waits, and the page says why, in Indonesian.
        var admin = await shop.SignedInAsync(shop.AdminLogin);
        await admin.GotoAsync("/admin/pembayaran");
        await Expect(admin.Locator("[data-testid=accounts-waiting]")).ToContainTextAsync("012301000123567");
        await StorefrontStack.AccessibleAsync(admin, "bank-3-payouts-members-waiting");
        await admin.ClickAsync("button:has-text('Siapkan')");
        await StorefrontStack.ArrivedAtAsync(admin, "**/admin/pembayaran/*");
        await Expect(admin.Locator("[data-testid=payout-waiting]")).ToContainTextAsync("Rekening baru belum dikonfirmasi admin kedua");
        await Expect(admin.Locator("[data-testid=payout-account]", new PageLocatorOptions { HasText = "012301000123567" })).ToHaveCountAsync(0);
        await AssertNoEnglishStatusAsync(admin);
        await StorefrontStack.AccessibleAsync(admin, "bank-4-payout-member-waits");

        var second = await shop.SignedInAsync(shop.SecondAdminLogin);
        await second.GotoAsync("/admin/anggota");
        var change = second.Locator("[data-testid=account-change]", new PageLocatorOptions { HasText = "012301000123567" });
        await Expect(change).ToContainTextAsync("oleh anggota sendiri");
        await StorefrontStack.AccessibleAsync(second, "bank-5-admin-confirms");
        await change.Locator("button:has-text('Konfirmasi rekening')").ClickAsync();
        await Expect(second.Locator(".alert.ok")).ToContainTextAsync("Rekening dikonfirmasi");
        await Expect(second.Locator("[data-testid=account-change]", new PageLocatorOptions { HasText = "012301000123567" })).ToHaveCountAsync(0);

        await admin.GotoAsync("/admin/pembayaran");
        await admin.ClickAsync("button:has-text('Siapkan')");
        await StorefrontStack.ArrivedAtAsync(admin, "**/admin/pembayaran/*");
        var account = admin.Locator("[data-testid=payout-account]", new PageLocatorOptions { HasText = "012301000123567" });
        await Expect(account).ToContainTextAsync("BRI (002)");
        await Expect(account).ToContainTextAsync("Siti Aminah");
        await AssertNoEnglishStatusAsync(admin);
        await StorefrontStack.AccessibleAsync(admin, "bank-6-payout-with-confirmed-account");

        // Approved by the second admin, the bank file carries the confirmed account.
        await second.GotoAsync(admin.Url);
        await second.ClickAsync("button:has-text('Setujui pembayaran')");
        await Expect(second.Locator("[data-status=Approved]")).ToBeVisibleAsync();
        await AssertNoEnglishStatusAsync(second);
        await StorefrontStack.AccessibleAsync(second, "bank-6b-approved-payout");
        await StorefrontStack.FitsThePhoneAsync(second, "the approved payout");
        var download = await second.RunAndWaitForDownloadAsync(() => second.ClickAsync("a:has-text('Unduh file transfer bank')"));
        var csv = await File.ReadAllTextAsync(await download.PathAsync());
        Assert.Contains("\"002\",\"BRI\",\"012301000123567\",\"Siti Aminah\"", csv, StringComparison.Ordinal);

        await member.GotoAsync("/anggota/profil");
        await Expect(member.Locator("[data-testid=account-confirmed]")).ToContainTextAsync("012301000123567");
        await Expect(member.Locator("[data-testid=account-pending]")).ToHaveCountAsync(0);
        await StorefrontStack.AccessibleAsync(member, "bank-7-member-account-confirmed");

        // An admin proposes a change on her behalf: it waits like any other, and a rejection leaves the confirmed account.
        await admin.GotoAsync("/admin/anggota");
        await admin.ClickAsync($"a[href='/admin/anggota/{shop.MemberId}/rekening']");
        await admin.SelectOptionAsync("#bank", "014");
        await admin.FillAsync("#accountNumber", "987 654 3210");
        await admin.FillAsync("#accountName", "Siti Aminah");
        await StorefrontStack.AccessibleAsync(admin, "bank-8-admin-proposes-on-her-behalf");
        await admin.ClickAsync("form:has(#accountNumber) button[type=submit]");
        await StorefrontStack.ArrivedAtAsync(admin, "**/admin/anggota?notice=saved*");
        var proposedByAdmin = admin.Locator("[data-testid=account-change]", new PageLocatorOptions { HasText = "9876543210" });
        await Expect(proposedByAdmin).ToContainTextAsync("oleh Anda");
        await Expect(proposedByAdmin.Locator("button:has-text('Konfirmasi rekening')")).ToHaveCountAsync(0);

        await member.GotoAsync("/anggota/profil");
        await Expect(member.Locator("[data-testid=account-pending]")).ToContainTextAsync("9876543210");
        await Expect(member.Locator("[data-testid=account-confirmed]")).ToContainTextAsync("012301000123567");

        await second.GotoAsync("/admin/anggota");
        var toReject = second.Locator("[data-testid=account-change]", new PageLocatorOptions { HasText = "9876543210" });
        await toReject.Locator("input[name=reason]").FillAsync("Nama di buku tabungan berbeda");
        await toReject.Locator("button:has-text('Tolak')").ClickAsync();
        await Expect(second.Locator(".alert.ok")).ToContainTextAsync("Usulan rekening ditolak");

        await member.GotoAsync("/anggota/profil");
        await Expect(member.Locator("[data-testid=account-pending]")).ToHaveCountAsync(0);
        await Expect(member.Locator("[data-testid=account-rejected]")).ToContainTextAsync("Nama di buku tabungan berbeda");
        await Expect(member.Locator("[data-testid=account-confirmed]")).ToContainTextAsync("012301000123567");
        await StorefrontStack.AccessibleAsync(member, "bank-9-member-sees-rejection");
    });

    private static async Task AssertNoEnglishStatusAsync(IPage page)
    {
        var text = await page.Locator("main").InnerTextAsync();
        Assert.DoesNotContain("Draft", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Pending", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Approved", text, StringComparison.Ordinal);
    }

    private async Task SellToTheMemberAsync()
    {
        using var shopper = shop.Stack.NewBrowser();
        var product = await shopper.Http.GetFromJsonAsync<JsonElement>($"/api/catalog/products/{shop.FishCrackers.Id}");
        var variant = product.GetProperty("variants")[0].GetProperty("id").GetGuid();
        (await shopper.Http.PutAsJsonAsync($"/api/orders/baskets/{shop.CooperativeId}/lines/{variant}", new { productId = shop.FishCrackers.Id, quantity = 1 })).EnsureSuccessStatusCode();
        var tomorrow = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(7)).AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var placed = await shopper.Http.PostAsJsonAsync($"/api/orders/baskets/{shop.CooperativeId}/checkout",
            new { name = "Pembeli Kios", whatsApp = "0812 1111 2222", fulfilment = "pickup", pickupDate = tomorrow, payment = "kiosk" });
        Assert.True(placed.IsSuccessStatusCode, await placed.Content.ReadAsStringAsync());
        var orderId = (await placed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await Eventually.TrueAsync(
            async () => (await shopper.Http.GetFromJsonAsync<JsonElement>($"/api/orders/orders/{orderId}")).GetProperty("status").GetString() == "awaitingKioskPayment",
            Patience,
            "the stock to be held");
        (await shop.Admin.Http.PostAsJsonAsync($"/api/orders/kiosk/{shop.CooperativeId}/orders/{orderId}/payment", new { method = "cash", tillSessionId = await Counter.OpenSessionAsync(shop.Admin.Http, shop.CooperativeId) })).EnsureSuccessStatusCode();
        await Eventually.TrueAsync(
            async () => (await shop.Admin.Http.PostAsync(new Uri($"/api/orders/orders/{orderId}/hand-over", UriKind.Relative), null)).IsSuccessStatusCode,
            Patience,
            "the order to be handed over");
    }
}
