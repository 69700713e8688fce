using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Testing;
using static Microsoft.Playwright.Assertions;

namespace Marketplace.IntegrationTests.Web;

/// <summary>
/// A password reset that did not get through belongs to no cooperative: the platform's admin sees it among the account
/// messages, says why in words, and is offered no resend (its link was erased once WhatsApp took it).
/// </summary>
[Collection(StorefrontCollection.Name)]
public sealed class AccountMessageLogBrowserTests(StorefrontStack shop)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public Task The_platform_admin_sees_a_failed_reset_and_is_offered_no_resend() => shop.CapturingFailureAsync(async () =>
    {
        using var emulator = new HttpClient { BaseAddress = shop.Stack.WhatsAppAddress };
        var rest = Random.Shared.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var (phone, digits) = ($"0813{rest}", $"62813{rest}");
        using (var browser = shop.Stack.NewBrowser())
        {
            var registered = await browser.Http.PostAsJsonAsync("/api/account/register", new { displayName = "Bu Sumi", phone, password = "sandi-lama-panjang" });
            Assert.True(registered.StatusCode == HttpStatusCode.Created, await registered.Content.ReadAsStringAsync());
        }

        // WhatsApp takes the reset, then reports the number cannot get it.
        (await emulator.PostAsJsonAsync("/_emulator/fail-next", new { count = 1, mode = "status", code = 131026 })).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Accepted, (await shop.Stack.NewApiClient().PostAsJsonAsync("/api/account/password/forgot", new { login = phone })).StatusCode);
        await Eventually.TrueAsync(
            async () => (await emulator.GetFromJsonAsync<JsonElement>($"/_emulator/messages?to={digits}")) is { ValueKind: JsonValueKind.Array } m
                && m.GetArrayLength() == 1 && m[0].TryGetProperty("status", out var status) && status.GetString() == "failed",
            Patience,
            "WhatsApp to report the reset failed");

        var page = await shop.NewPhoneAsync();
        await page.GotoAsync("/masuk");
        await page.FillAsync("#login", GatewayStack.PlatformAdminEmail);
        await page.FillAsync("#password", GatewayStack.PlatformAdminPassword);
        await page.ClickAsync("form.stacked button[type=submit]");
        await StorefrontStack.OnAccountPageAsync(page);
        await page.GotoAsync($"/admin/pesan?koperasi={shop.CooperativeId}&status=gagal");
        await page.ClickAsync("[data-testid=account-messages]");
        var failed = page.Locator("[data-testid=deliveries] li[data-status=Failed]").Filter(new() { HasText = "Tautan atur ulang kata sandi" }).First;
        for (var attempt = 0; attempt < 30 && !await failed.IsVisibleAsync(); attempt++)
        {
            await page.ReloadAsync();
            await Task.Delay(500);
        }

        await Expect(failed).ToContainTextAsync("tidak bisa menerima pesan WhatsApp");
        await Expect(failed.Locator("[data-testid=not-resent]")).ToHaveTextAsync("Minta orangnya meminta tautan atur ulang kata sandi yang baru.");
        await Expect(failed.Locator("button")).ToHaveCountAsync(0);
        // The number partly hidden, never whole.
        await Expect(page.Locator("main")).Not.ToContainTextAsync(rest);
        await StorefrontStack.AccessibleAsync(page, "account-messages-1-failed-reset");
    });
}
