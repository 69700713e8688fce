using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Marketplace.IntegrationTests.Web;

/// <summary>The admin sees what unpaid orders hold of the shelf and releases a hold, with a reason, in her language.</summary>
[Collection(StorefrontCollection.Name)]
public sealed class HeldStockBrowserTests(StorefrontStack shop)
{
    [Fact]
    public Task The_admin_sees_a_guests_held_goods_and_releases_them_with_a_reason() => shop.CapturingFailureAsync(async () =>
    {
        var buyer = $"Ibu Tahan {StorefrontStack.Letters(4)}";
        using var guest = shop.Stack.NewBrowser();
        var product = await guest.Http.GetFromJsonAsync<JsonElement>($"/api/catalog/products/{shop.PandanBag.Id}");
        var variant = product.GetProperty("variants")[0].GetProperty("id").GetGuid();
        (await guest.Http.PutAsJsonAsync($"/api/orders/baskets/{shop.CooperativeId}/lines/{variant}", new { productId = shop.PandanBag.Id, quantity = 1 })).EnsureSuccessStatusCode();
        var placed = await guest.Http.PostAsJsonAsync($"/api/orders/baskets/{shop.CooperativeId}/checkout",
            new { name = buyer, whatsApp = "0812 7777 0000", fulfilment = "pickup", pickupDate = StorefrontStack.Tomorrow(), payment = "kiosk" });
        Assert.True(placed.IsSuccessStatusCode, await placed.Content.ReadAsStringAsync());
        var order = await placed.Content.ReadFromJsonAsync<JsonElement>();
        var orderId = order.GetProperty("id").GetGuid();
        var code = order.GetProperty("pickupCode").GetString()!;
        await Eventually.TrueAsync(
            async () => (await guest.Http.GetFromJsonAsync<JsonElement>($"/api/orders/orders/{orderId}")).GetProperty("status").GetString() == "awaitingKioskPayment",
            TimeSpan.FromSeconds(45), "the stock to be held");

        var admin = await shop.SignedInAsync(shop.AdminLogin);
        await admin.GotoAsync("/admin/pesanan");
        await admin.ClickAsync("a[href='/admin/pesanan/tahanan']");
        var row = admin.Locator("tr", new() { HasText = code });
        await Expect(row).ToContainTextAsync(buyer);
        await Expect(row).ToContainTextAsync("+6281277770000");
        await StorefrontStack.AccessibleAsync(admin, "held-1-list");

        // No reason: said at the field, in Indonesian, and nothing is released.
        await row.Locator("a", new() { HasText = "Lepas" }).ClickAsync();
        await admin.ClickAsync("form.stacked button[type=submit]");
        await Expect(admin.Locator("#reason-error")).ToContainTextAsync("Tulis alasannya");
        await StorefrontStack.AccessibleAsync(admin, "held-2-reason-needed");

        await admin.FillAsync("#reason", "Nomor WhatsApp tidak bisa dihubungi");
        await admin.ClickAsync("form.stacked button[type=submit]");
        await Expect(admin.Locator("p.alert.ok")).ToContainTextAsync("Tahanan dilepas");
        await Expect(admin.Locator("tr", new() { HasText = code })).ToHaveCountAsync(0);
        await StorefrontStack.AccessibleAsync(admin, "held-3-released");
        var after = await guest.Http.GetFromJsonAsync<JsonElement>($"/api/orders/orders/{orderId}");
        Assert.Equal("cancelled", after.GetProperty("status").GetString());
    });
}
