using System.Net.Http.Json;
using System.Text.Json;
using static Microsoft.Playwright.Assertions;

namespace Marketplace.IntegrationTests.Web;

/// <summary>The admin sets the limits on unpaid orders on her settings page, on her phone, with mistakes said at their fields.</summary>
[Collection(StorefrontCollection.Name)]
public sealed class KioskHoldSettingsBrowserTests(StorefrontStack shop)
{
    [Fact]
    public Task The_admin_sets_the_limits_on_unpaid_orders_and_mistakes_are_said_at_their_fields() => shop.CapturingFailureAsync(async () =>
    {
        var settings = $"/api/orders/merchants/{shop.CooperativeId}/kiosk-hold-settings";
        try
        {
            var admin = await shop.SignedInAsync(shop.AdminLogin);
            await admin.GotoAsync("/admin/pengaturan");
            var form = admin.Locator("form:has(#maxSharePercent)");
            // What is saved now is shown (the stack's own generous limits).
            await Expect(admin.Locator("#maxOpenPerClient")).ToHaveValueAsync("1000");
            await StorefrontStack.FitsThePhoneAsync(admin, "the settings page");

            // Every mistake at once, each at its field, in Indonesian; what was typed stays.
            await admin.FillAsync("#pickupDaysAhead", "31");
            await admin.FillAsync("#maxOpenPerPhone", "0");
            await admin.FillAsync("#maxSharePercent", string.Empty);
            await form.Locator("button[type=submit]").ClickAsync();
            await Expect(admin.Locator("#pickupDaysAhead-error")).ToContainTextAsync("Tulis 0 sampai 30 hari");
            await Expect(admin.Locator("#maxOpenPerPhone-error")).ToContainTextAsync("Tulis 1 sampai 100 pesanan");
            await Expect(admin.Locator("#maxSharePercent-error")).ToContainTextAsync("Tulis 1 sampai 100 persen");
            await Expect(admin.Locator("#maxOpenPerClient-error")).ToHaveCountAsync(0);
            await Expect(admin.Locator("#pickupDaysAhead")).ToHaveValueAsync("31");
            await StorefrontStack.AccessibleAsync(admin, "hold-settings-1-mistakes");
            await StorefrontStack.FitsThePhoneAsync(admin, "the settings page with mistakes");

            await admin.FillAsync("#pickupDaysAhead", "5");
            await admin.FillAsync("#maxOpenPerPhone", "100");
            await admin.FillAsync("#maxSharePercent", "40");
            await admin.Locator("form:has(#maxSharePercent) button[type=submit]").ClickAsync();
            await Expect(admin.Locator("form:has(#maxSharePercent) .alert.ok")).ToContainTextAsync("Disimpan");
            await StorefrontStack.AccessibleAsync(admin, "hold-settings-2-saved");
            var saved = await shop.Admin.Http.GetFromJsonAsync<JsonElement>(settings);
            Assert.Equal(5, saved.GetProperty("pickupDaysAhead").GetInt32());
            Assert.Equal(40, saved.GetProperty("maxSharePercent").GetInt32());
        }
        finally
        {
            (await shop.Admin.Http.PutAsJsonAsync(settings, new { pickupDaysAhead = 3, maxOpenPerPhone = 100, maxOpenPerClient = 1000, maxSharePercent = 100 })).EnsureSuccessStatusCode();
        }
    });
}
