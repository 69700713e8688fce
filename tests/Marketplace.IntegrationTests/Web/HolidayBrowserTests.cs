using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.ServiceDefaults.Formatting;
using Marketplace.Testing;
using static Microsoft.Playwright.Assertions;

namespace Marketplace.IntegrationTests.Web;

/// <summary>
/// A member goes on holiday (libur) from her phone: her product's page says when it ships again, a shopper's shipping
/// order is refused in words naming it, and picking it up at the kiosk still works. Her own maker, so the others'
/// products in the shared marketplace keep shipping.
/// </summary>
[Collection(StorefrontCollection.Name)]
public sealed class HolidayBrowserTests(StorefrontStack shop)
{
    private static readonly CultureInfo Indonesian = CultureInfo.GetCultureInfo("id-ID");

    [Fact]
    public Task A_member_on_holiday_sees_it_shoppers_are_told_and_shipping_waits_while_pickup_works() => shop.CapturingFailureAsync(async () =>
    {
        var login = $"wati-{StorefrontStack.Letters(5)}@{shop.Slug}.test";
        var code = await GatewayStack.InviteAsync(shop.Admin, shop.CooperativeId, "Member", "Bu Wati");
        var (maker, account) = await shop.Stack.JoinAsync(code, "Bu Wati", login);
        var makerId = account.GetProperty("memberId").GetGuid();
        await Eventually.TrueAsync(async () => (await shop.Admin.Http.GetAsync(new Uri($"/api/catalog/members/{makerId}", UriKind.Relative))).IsSuccessStatusCode,
            TimeSpan.FromSeconds(30), "Catalog to learn of the member");
        var product = await shop.PublishAsync(maker, "kerajinan", $"Tikar Pandan {shop.Slug}", 60_000);
        maker.Dispose();

        var today = LocalTime.Today(DateTimeOffset.UtcNow);
        var until = today.AddDays(3);
        var member = await shop.SignedInAsync(login);
        await member.GotoAsync("/anggota/libur");
        await Expect(member.Locator("[data-testid=holiday-state]")).ToContainTextAsync("Anda tidak sedang libur");

        // Backwards days are refused at the field, in Indonesian, and what she chose stays.
        await member.FillAsync("#awayFrom", Iso(today.AddDays(2)));
        await member.FillAsync("#awayUntil", Iso(today.AddDays(1)));
        await member.ClickAsync("button:has-text('Simpan libur')");
        await Expect(member.Locator("#awayUntil-error")).ToHaveTextAsync("Tanggal terakhir sama dengan atau sesudah tanggal mulai.");
        await Expect(member.Locator("#awayFrom")).ToHaveValueAsync(Iso(today.AddDays(2)));
        await StorefrontStack.AccessibleAsync(member, "holiday-1-member-mistake");

        await member.FillAsync("#awayFrom", Iso(today));
        await member.FillAsync("#awayUntil", Iso(until));
        await member.ClickAsync("button:has-text('Simpan libur')");
        await StorefrontStack.ArrivedAtAsync(member, "**/anggota/libur?notice=saved");
        var state = member.Locator("[data-testid=holiday-state]");
        await Expect(state).ToContainTextAsync("Anda sedang libur");
        await Expect(state).ToContainTextAsync($"sampai {until.ToString("d MMM yyyy", Indonesian)}");
        await StorefrontStack.AccessibleAsync(member, "holiday-2-member-away");

        // Orders learns of it from Catalog's message: wait until a basket line says so.
        using var probe = shop.Stack.NewBrowser();
        var variant = (await probe.Http.GetFromJsonAsync<JsonElement>($"/api/catalog/products/{product.Id}")).GetProperty("variants")[0].GetProperty("id").GetGuid();
        await Eventually.TrueAsync(async () =>
        {
            var basket = await probe.Http.PutAsJsonAsync($"/api/orders/baskets/{shop.CooperativeId}/lines/{variant}", new { productId = product.Id, quantity = 1 });
            return basket.IsSuccessStatusCode && (await basket.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("lines")
                .EnumerateArray().Any(l => l.GetProperty("makerAwayUntil").ValueKind == JsonValueKind.String);
        }, TimeSpan.FromSeconds(30), "Orders to learn of the holiday");

        var shopper = await shop.NewPhoneAsync();
        await shopper.GotoAsync($"/cari?q={Uri.EscapeDataString(product.Name)}");
        var card = shopper.Locator(".card", new Microsoft.Playwright.PageLocatorOptions { HasText = product.Name });
        await Expect(card.Locator("[data-maker-away]")).ToContainTextAsync($"Pembuat libur sampai {until.ToString("d MMM", Indonesian)}");
        await StorefrontStack.AccessibleAsync(shopper, "holiday-3a-search-card");
        await shopper.GotoAsync($"/produk/{product.Id}");
        var notice = shopper.Locator("[data-maker-away]");
        await Expect(notice).ToContainTextAsync($"Pembuatnya sedang libur sampai {until.ToString("d MMM", Indonesian)}");
        await Expect(notice).ToContainTextAsync($"bisa dipesan untuk dikirim lagi mulai {until.AddDays(1).ToString("d MMM", Indonesian)}");
        await Expect(notice).ToContainTextAsync("Stok di kios tetap bisa dibeli dan diambil.");
        await StorefrontStack.AccessibleAsync(shopper, "holiday-3-product-page");

        await shopper.ClickAsync("form.buy button[type=submit]");
        await StorefrontStack.InBasketAsync(shopper);
        await shopper.ClickAsync("a.button[href$='/bayar']");
        await Expect(shopper.Locator("[data-testid=maker-away]")).ToContainTextAsync(product.Name);
        await shopper.FillAsync("#name", "Ibu Pengirim");
        await shopper.FillAsync("#whatsApp", "0812 5555 6666");
        await shopper.CheckAsync("input[type=radio][value=shipping]");
        await shopper.FillAsync("#street", "Jl. Mawar 1");
        await shopper.FillAsync("#city", "Surabaya");
        await shopper.SelectOptionAsync("#province", "Jawa Timur");
        await shopper.FillAsync("#postalCode", "60111");
        await shopper.CheckAsync("input[type=radio][value=card]");
        await shopper.ClickAsync("form.stacked button[type=submit]");
        var refused = shopper.Locator("#fulfilment-error");
        await Expect(refused).ToContainTextAsync("Belum bisa dikirim");
        await Expect(refused).ToContainTextAsync(product.Name);
        await Expect(refused).ToContainTextAsync("pilih ambil di kios");
        await Expect(shopper.Locator("#street")).ToHaveValueAsync("Jl. Mawar 1");
        await StorefrontStack.AccessibleAsync(shopper, "holiday-4-shipping-refused");

        // The same basket, picked up at the kiosk and paid there: placed.
        await shopper.CheckAsync("input[type=radio][value=pickup]");
        await shopper.FillAsync("#pickupDate", StorefrontStack.Tomorrow());
        await shopper.CheckAsync("input[type=radio][value=kiosk]");
        await shopper.ClickAsync("form.stacked button[type=submit]");
        await StorefrontStack.ArrivedAtAsync(shopper, "**/orders/**");
        await StorefrontStack.AccessibleAsync(shopper, "holiday-5-pickup-placed");

        // Her cooperative's admin sees it in the member list and on her holiday page.
        var admin = await shop.SignedInAsync(shop.AdminLogin);
        await admin.GotoAsync("/admin/anggota");
        await Expect(admin.Locator("tr", new Microsoft.Playwright.PageLocatorOptions { HasText = "Bu Wati" })).ToContainTextAsync($"libur s.d. {until.ToString("d MMM yyyy", Indonesian)}");
        await admin.GotoAsync($"/admin/anggota/{makerId}/libur");
        await Expect(admin.Locator("[data-testid=holiday-state]")).ToContainTextAsync("Sedang libur");
        await StorefrontStack.AccessibleAsync(admin, "holiday-6-admin-sees-it");

        // Back home early: she ends it, and her page says her products ship again.
        await member.ClickAsync("button:has-text('Akhiri libur sekarang')");
        await StorefrontStack.ArrivedAtAsync(member, "**/anggota/libur?notice=saved");
        await Expect(member.Locator("[data-testid=holiday-state]")).ToContainTextAsync("Anda tidak sedang libur");
        await shopper.GotoAsync($"/produk/{product.Id}");
        await Expect(shopper.Locator("[data-maker-away]")).ToHaveCountAsync(0);
    });

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
