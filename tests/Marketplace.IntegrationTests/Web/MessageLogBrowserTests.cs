using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Marketplace.IntegrationTests.Web;

/// <summary>The cooperative's admin sees what the marketplace told people on WhatsApp, and sends a failed message again.</summary>
[Collection(StorefrontCollection.Name)]
public sealed class MessageLogBrowserTests(StorefrontStack shop)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public Task An_admin_sees_the_pickup_code_message_and_sends_a_failed_one_again() => shop.CapturingFailureAsync(async () =>
    {
        using var emulator = new HttpClient { BaseAddress = shop.Stack.WhatsAppAddress };
        var number = $"62813{Random.Shared.Next(10_000_000, 99_999_999)}";
        // WhatsApp refuses the message for good (the number cannot be reached): it fails at once, and waits for a person.
        (await emulator.PostAsJsonAsync("/_emulator/fail-next", new { count = 1, mode = "status", code = 131026 })).EnsureSuccessStatusCode();
        await GuestOrdersForTheKioskAsync("0" + number[2..]);
        await Eventually.TrueAsync(
            async () => (await emulator.GetFromJsonAsync<JsonElement>($"/_emulator/messages?to={number}")).GetArrayLength() == 1,
            Patience,
            "the pickup code's message to reach WhatsApp");

        var admin = await shop.SignedInAsync(shop.AdminLogin);
        var failed = admin.Locator("[data-testid=deliveries] li[data-status=Failed]").First;
        for (var attempt = 0; attempt < 30 && !await failed.IsVisibleAsync(); attempt++)
        {
            await admin.GotoAsync($"/admin/pesan?koperasi={shop.CooperativeId}");
            await Task.Delay(500);
        }

        await Expect(failed).ToContainTextAsync("Kode ambil untuk pembeli");
        await Expect(failed).ToContainTextAsync("gagal");
        await StorefrontStack.AccessibleAsync(admin, "messages-1-failed-message");
        await failed.Locator("button[type=submit]").ClickAsync();
        await Expect(admin.Locator("[role=status]")).ToHaveTextAsync("Pesan dikirim ulang.");

        await Eventually.TrueAsync(
            async () => (await emulator.GetFromJsonAsync<JsonElement>($"/_emulator/messages?to={number}")).GetArrayLength() == 2,
            Patience,
            "the message to be sent again");
        await StorefrontStack.ScreenshotAsync(admin, "messages-2-sent-again");
    });

    private async Task GuestOrdersForTheKioskAsync(string whatsApp)
    {
        using var guest = shop.Stack.NewBrowser();
        var product = await guest.Http.GetFromJsonAsync<JsonElement>($"/api/catalog/products/{shop.PandanBag.Id}");
        var variant = product.GetProperty("variants")[0].GetProperty("id").GetGuid();
        (await guest.Http.PutAsJsonAsync($"/api/orders/baskets/{shop.CooperativeId}/lines/{variant}", new { productId = shop.PandanBag.Id, quantity = 1 })).EnsureSuccessStatusCode();
        var placed = await guest.Http.PostAsJsonAsync($"/api/orders/baskets/{shop.CooperativeId}/checkout",
            new { name = "Ibu Pesan", whatsApp, fulfilment = "pickup", pickupDate = StorefrontStack.Tomorrow(), payment = "kiosk" });
        Assert.True(placed.IsSuccessStatusCode, await placed.Content.ReadAsStringAsync());
    }
}
