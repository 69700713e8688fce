using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.ServiceDefaults.Formatting;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Marketplace.IntegrationTests.Web;

/// <summary>
/// Stock on a phone: a member's low-stock level and her stock card, an admin's count of the shelf (opname) that the
/// card then shows, batches expiring soon, and the cooperative's expiry warning. Each test publishes its own product,
/// so the other tests of the "Storefront" collection selling theirs change nothing here.
/// </summary>
[Collection("Storefront")]
public sealed class StockBrowserTests(StorefrontStack shop)
{
    [Fact]
    public Task A_member_sets_a_low_stock_level_and_sees_the_size_marked_and_changes_stock_only_with_a_reason() => shop.CapturingFailureAsync(async () =>
    {
        var (productId, variantId, name) = await NewProductAsync();
        var member = await shop.SignedInAsync(shop.MemberLogin);
        await member.GotoAsync($"/anggota/produk/{productId}");
        await member.ClickAsync("a:has-text('Kartu stok, batas menipis')");
        await StorefrontStack.ArrivedAtAsync(member, $"**/anggota/produk/{productId}/stok/{variantId}");
        await Expect(member.Locator("[data-testid=on-hand]")).ToHaveTextAsync("50");
        await Expect(member.Locator("[data-testid=low-stock]")).ToHaveCountAsync(0);
        await Expect(member.Locator("[data-testid=movement]").First).ToContainTextAsync("Titipan barang diterima di kios");

        // A level above what is on the shelf: the size is low at once.
        await member.FillAsync("#threshold", "60");
        await member.ClickAsync("button:has-text('Simpan batas')");
        await StorefrontStack.ArrivedAtAsync(member, "**notice=saved*");
        await Expect(member.Locator("[data-testid=low-stock]")).ToContainTextAsync("Stok menipis: tinggal 50, batasnya 60.");

        // On hand changed without a reason is refused at the reason, and what she typed stays.
        await member.FillAsync("#onHand", "47");
        await member.FillAsync("#reason", "");
        await member.ClickAsync("button:has-text('Simpan stok')");
        await Expect(member.Locator("#reason-error")).ToHaveTextAsync("Tulis alasan stok berubah, mis. 3 bungkus sobek.");
        await Expect(member.Locator("#onHand")).ToHaveValueAsync("47");
        await StorefrontStack.AccessibleAsync(member, "stock-1-member-reason-required");

        await member.FillAsync("#reason", "3 bungkus sobek");
        await member.ClickAsync("button:has-text('Simpan stok')");
        await StorefrontStack.ArrivedAtAsync(member, "**notice=stock*");
        await Expect(member.Locator("[data-testid=on-hand]")).ToHaveTextAsync("47");
        var adjusted = member.Locator("[data-testid=movement]").First;
        await Expect(adjusted).ToHaveAttributeAsync("data-kind", "adjusted");
        await Expect(adjusted).ToContainTextAsync("Diubah dengan tangan");
        await Expect(adjusted).ToContainTextAsync("−3");
        await Expect(adjusted).ToContainTextAsync("Anda");
        await Expect(adjusted).ToContainTextAsync("3 bungkus sobek");
        await StorefrontStack.FitsThePhoneAsync(member, "the stock card");
        await StorefrontStack.AccessibleAsync(member, "stock-2-member-card-low");

        // Her products list says which sizes are low.
        await member.ClickAsync("nav.portal-nav a:has-text('Produk saya')");
        await StorefrontStack.ArrivedAtAsync(member, "**/anggota");
        await Expect(member.Locator("[data-testid=low-stock-summary]")).ToContainTextAsync("batas menipis");
        var size = member.Locator("ul.managed > li", new PageLocatorOptions { HasText = name }).Locator("[data-testid=size-stock]");
        await Expect(size).ToContainTextAsync("stok 47");
        await Expect(size.Locator("[data-testid=low-stock]")).ToHaveTextAsync("Stok menipis (batas 60)");
        await StorefrontStack.AccessibleAsync(member, "stock-3-member-products-low");
    });

    [Fact]
    public Task An_admin_counts_the_shelf_and_the_difference_is_on_the_card_for_her_and_the_member() => shop.CapturingFailureAsync(async () =>
    {
        var (productId, variantId, name) = await NewProductAsync();
        await BringAsync(variantId, quantity: 4, expiresInDays: 3);
        var field = $"#counted-{variantId:N}";

        var admin = await shop.SignedInAsync(shop.AdminLogin);
        await admin.GotoAsync("/admin/kiosk");
        await admin.ClickAsync("nav.portal-nav a:has-text('Stok & opname')");
        await StorefrontStack.ArrivedAtAsync(admin, "**/admin/stok*");
        var row = admin.Locator($"tr[data-variant='{variantId}']");
        await Expect(row).ToContainTextAsync(name);
        await Expect(row).ToContainTextAsync("54");
        // The batch she brought expires in three days: the list says so in words.
        var expiring = admin.Locator("[data-testid=expiring-batch]", new PageLocatorOptions { HasText = name });
        await Expect(expiring).ToContainTextAsync("tinggal 3 hari lagi");
        await Expect(expiring).ToContainTextAsync("sisa 4 unit");

        // A count beyond any shelf is refused at its row; the number stays for her to correct.
        await admin.FillAsync(field, "2000000");
        await admin.FillAsync("#count-reason", "Opname akhir bulan");
        await admin.ClickAsync("button:has-text('Simpan opname')");
        await Expect(admin.Locator($"#counted-{variantId:N}-error")).ToHaveTextAsync("Isi angka 0 sampai 1.000.000.");
        await Expect(admin.Locator(field)).ToHaveValueAsync("2000000");
        await Expect(admin.Locator("#count-reason")).ToHaveValueAsync("Opname akhir bulan");
        await StorefrontStack.AccessibleAsync(admin, "stock-4-admin-count-mistake");

        await admin.FillAsync(field, "52");
        await admin.ClickAsync("button:has-text('Simpan opname')");
        var result = admin.Locator("[data-testid=count-difference]");
        await Expect(result).ToHaveCountAsync(1);
        await Expect(result).ToContainTextAsync("tercatat 54, terhitung 52, selisih −2");
        await Expect(admin.Locator(field)).ToHaveValueAsync("");
        await StorefrontStack.FitsThePhoneAsync(admin, "the count page");
        await StorefrontStack.AccessibleAsync(admin, "stock-5-admin-counted");

        await result.Locator("a:has-text('Kartu stok')").ClickAsync();
        await StorefrontStack.ArrivedAtAsync(admin, $"**/admin/stok/{productId}/{variantId}");
        var counted = admin.Locator("[data-testid=movement]").First;
        await Expect(counted).ToHaveAttributeAsync("data-kind", "counted");
        await Expect(counted).ToContainTextAsync("Stok opname");
        await Expect(counted).ToContainTextAsync("−2");
        await Expect(counted).ToContainTextAsync("Anda");
        await Expect(counted).ToContainTextAsync("Opname akhir bulan");
        await Expect(admin.Locator("[data-testid=on-hand]")).ToHaveTextAsync("52");
        await StorefrontStack.AccessibleAsync(admin, "stock-6-admin-card");

        // The member sees the same line on her card, made by the cooperative's admin, and her batch expiring.
        var member = await shop.SignedInAsync(shop.MemberLogin);
        await member.GotoAsync("/anggota");
        await Expect(member.Locator("[data-testid=expiring-batch]", new PageLocatorOptions { HasText = name })).ToContainTextAsync("tinggal 3 hari lagi");
        await member.GotoAsync($"/anggota/produk/{productId}/stok/{variantId}");
        var seen = member.Locator("[data-testid=movement]").First;
        await Expect(seen).ToHaveAttributeAsync("data-kind", "counted");
        await Expect(seen).ToContainTextAsync("pengurus koperasi");
        await Expect(seen).ToContainTextAsync("Opname akhir bulan");
        await Expect(member.Locator("[data-testid=movement][data-kind=received]").First).ToContainTextAsync("Titipan barang diterima di kios");
        await Expect(member.Locator("[data-testid=batches]")).ToContainTextAsync(Rupiah.Display(9_000));
        await StorefrontStack.AccessibleAsync(member, "stock-7-member-card-counted");
    });

    [Fact]
    public Task The_admin_sets_how_many_days_ahead_expiring_goods_are_listed() => shop.CapturingFailureAsync(async () =>
    {
        var admin = await shop.SignedInAsync(shop.AdminLogin);
        await admin.GotoAsync("/admin/pengaturan");
        await admin.FillAsync("#expiryWarningDays", "400");
        await admin.ClickAsync("button:has-text('Simpan peringatan')");
        await Expect(admin.Locator("#expiryWarningDays-error")).ToHaveTextAsync("Isi 0 sampai 365 hari.");
        await Expect(admin.Locator("#expiryWarningDays")).ToHaveValueAsync("400");
        await StorefrontStack.AccessibleAsync(admin, "stock-8-expiry-setting-mistake");

        await admin.FillAsync("#expiryWarningDays", "21");
        await admin.ClickAsync("button:has-text('Simpan peringatan')");
        await Expect(admin.Locator("form:has(#expiryWarningDays) .alert.ok")).ToHaveTextAsync("Disimpan.");
        var saved = await shop.Admin.Http.GetFromJsonAsync<JsonElement>($"/api/catalog/cooperatives/{shop.CooperativeId}/stock/expiring");
        Assert.Equal(21, saved.GetProperty("warningDays").GetInt32());
        await admin.GotoAsync("/admin/pengaturan");
        await Expect(admin.Locator("#expiryWarningDays")).ToHaveValueAsync("21");
        await StorefrontStack.AccessibleAsync(admin, "stock-9-expiry-setting-saved");

        // Back to the default, for the other tests of the collection.
        (await shop.Admin.Http.PutAsJsonAsync($"/api/catalog/cooperatives/{shop.CooperativeId}/stock-settings", new { expiryWarningDays = 14 })).EnsureSuccessStatusCode();
    });

    private async Task<(Guid ProductId, Guid VariantId, string Name)> NewProductAsync()
    {
        var (id, name) = await shop.PublishAsync(shop.Member, "kerupuk", "Kerupuk Ikan Stok " + StorefrontStack.Letters(5), 21_000);
        var product = await shop.Member.Http.GetFromJsonAsync<JsonElement>($"/api/catalog/products/{id}/manage");
        return (id, product.GetProperty("variants")[0].GetProperty("id").GetGuid(), name);
    }

    /// <summary>The member announces a delivery and the kiosk receives all of it: a dated, costed batch on the shelf.</summary>
    private async Task BringAsync(Guid variantId, int quantity, int expiresInDays)
    {
        var today = LocalTime.Today(DateTimeOffset.UtcNow);
        var announced = await shop.Member.Http.PostAsJsonAsync("/api/catalog/deliveries", new
        {
            lines = new[] { new { variantId, quantity, producedOn = today.AddDays(-1), expiresOn = today.AddDays(expiresInDays), costPerUnitRupiah = 9_000 } },
        });
        Assert.True(announced.IsSuccessStatusCode, await announced.Content.ReadAsStringAsync());
        var delivery = await announced.Content.ReadFromJsonAsync<JsonElement>();
        var received = await shop.Admin.Http.PostAsJsonAsync($"/api/catalog/deliveries/{delivery.GetProperty("id").GetGuid()}/receive", new
        {
            lines = new[] { new { lineNo = delivery.GetProperty("lines")[0].GetProperty("lineNo").GetInt32(), accepted = quantity } },
        });
        Assert.True(received.IsSuccessStatusCode, await received.Content.ReadAsStringAsync());
    }
}
