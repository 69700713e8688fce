using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Testing;
using static Microsoft.Playwright.Assertions;

namespace Marketplace.IntegrationTests.Web;

/// <summary>An admin invites a kiosk clerk (kasir) from the members page; the code reaches her on WhatsApp naming the role, and makes her the clerk.</summary>
[Collection(StorefrontCollection.Name)]
public sealed class ClerkInviteBrowserTests(StorefrontStack shop)
{
    [Fact]
    public Task An_admin_invites_a_clerk_from_the_members_page_and_the_code_makes_her_the_kiosk_clerk() => shop.CapturingFailureAsync(async () =>
    {
        var page = await shop.SignedInAsync(shop.AdminLogin);
        await page.GotoAsync($"/admin/anggota?koperasi={shop.CooperativeId}");
        await Expect(page.Locator("#kind option[value=clerk]")).ToHaveTextAsync("Kasir kios");
        await page.FillAsync("#inviteeName", "Mbak Rina");
        await page.SelectOptionAsync("#kind", "clerk");
        var rest = Random.Shared.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await page.FillAsync("#inviteeWhatsApp", $"0815{rest}");
        await StorefrontStack.AccessibleAsync(page, "invite-clerk-1-form");
        await page.ClickAsync("section[aria-labelledby=invite] button[type=submit]");
        var code = (await page.Locator("[data-testid=invitation-code]").TextContentAsync())!.Trim();
        await Expect(page.Locator("[data-testid=invitation-sent]")).ToContainTextAsync("WhatsApp");
        await StorefrontStack.AccessibleAsync(page, "invite-clerk-2-code-shown");

        using var emulator = new HttpClient { BaseAddress = shop.Stack.WhatsAppAddress };
        var messages = await Eventually.GetAsync(
            () => emulator.GetFromJsonAsync<JsonElement>($"/_emulator/messages?to=62815{rest}"), m => m.GetArrayLength() > 0, TimeSpan.FromSeconds(60), "the invitation on WhatsApp");
        var text = messages[0].GetProperty("text").GetString()!;
        Assert.Contains("sebagai kasir kios", text, StringComparison.Ordinal);
        Assert.Contains($"Kode undangan: {code}", text, StringComparison.Ordinal);

        // She joins on the join page and, a clerk only, lands on the counter's till.
        var phone = await shop.NewPhoneAsync();
        await phone.GotoAsync($"/gabung?code={Uri.EscapeDataString(code)}");
        await phone.FillAsync("#displayName", "Mbak Rina");
        await phone.FillAsync("#email", $"rina-{rest}@{shop.Slug}.test");
        await phone.FillAsync("#password", "kata-sandi-kasir");
        await phone.ClickAsync("form.stacked button[type=submit]");
        await StorefrontStack.ArrivedAtAsync(phone, "**/kasir");
        await StorefrontStack.AccessibleAsync(phone, "invite-clerk-3-joined");

        using var rina = shop.Stack.NewBrowser();
        await rina.SignInAsync($"rina-{rest}@{shop.Slug}.test", "kata-sandi-kasir");
        var me = await rina.Http.GetFromJsonAsync<JsonElement>("/api/account/me");
        Assert.Equal(["kiosk-clerk"], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()!).ToArray());
        Assert.Equal(HttpStatusCode.OK, (await rina.Http.GetAsync(new Uri($"/api/catalog/cooperatives/{shop.CooperativeId}/counter-catalogue", UriKind.Relative))).StatusCode);
    });
}
