using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Contracts.Gateway;
using Marketplace.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Marketplace.IntegrationTests.Web;

/// <summary>
/// Password resets and invitation codes reach people on the channel they have (WhatsApp or email), through the Gateway,
/// RabbitMQ, Notifications, the WhatsApp emulator and the SMTP server; and the Gateway tells the other services who can
/// be reached how.
/// </summary>
[Collection(StorefrontCollection.Name)]
public sealed class AccountMessageBrowserTests(StorefrontStack shop)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>An Indonesian mobile number, written as people write it (08...), and as WhatsApp names it (62...).</summary>
    private static (string Typed, string Digits) NewPhone()
    {
        var rest = Random.Shared.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return ($"0813{rest}", $"62813{rest}");
    }

    private HttpClient Emulator() => new() { BaseAddress = shop.Stack.WhatsAppAddress };

    private static async Task<JsonElement> WhatsAppMessageAsync(HttpClient emulator, string digits, string because) =>
        (await Eventually.GetAsync(
            () => emulator.GetFromJsonAsync<JsonElement>($"/_emulator/messages?to={digits}"),
            m => m.GetArrayLength() > 0,
            Patience,
            because))[0];

    private async Task<Guid> RegisterAsync(object account)
    {
        using var browser = shop.Stack.NewBrowser();
        var registered = await browser.Http.PostAsJsonAsync("/api/account/register", account);
        Assert.True(registered.StatusCode == HttpStatusCode.Created, await registered.Content.ReadAsStringAsync());
        return (await registered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    [Fact]
    public async Task A_reset_reaches_an_email_account_by_email_and_a_phone_only_account_on_whatsapp_in_the_pages_language()
    {
        var email = $"lupa-{StorefrontStack.Letters(8)}@wisata.test";
        var (phone, digits) = NewPhone();
        await RegisterAsync(new { displayName = "Tourist Jane", email, phone = NewPhone().Typed, password = "sandi-lama-panjang" });
        await RegisterAsync(new { displayName = "Bu Warsih", phone, password = "sandi-lama-panjang" });

        var api = shop.Stack.NewApiClient();
        Assert.Equal(HttpStatusCode.Accepted, (await api.PostAsJsonAsync("/api/account/password/forgot", new { login = email, language = "en" })).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await api.PostAsJsonAsync("/api/account/password/forgot", new { login = phone })).StatusCode);

        // An account with an email address is written to there, even when it has a phone too; in the page's language.
        var mail = shop.Stack.Mail!.Inbox;
        var received = await mail.ReadAsync(Assert.Single(await mail.WaitForMessagesToAsync(email, timeout: Patience)).Id);
        Assert.Equal("Reset your password", received.Subject);
        Assert.Contains("Hello Tourist Jane,", received.PlainText, StringComparison.Ordinal);
        Assert.Contains($"{shop.Address}reset-password?user=", received.PlainText, StringComparison.Ordinal);

        // One with only a phone gets it on WhatsApp, in Indonesian (no language named).
        using var emulator = Emulator();
        var message = await WhatsAppMessageAsync(emulator, digits, "the reset link on WhatsApp");
        Assert.Equal("account_password_reset", message.GetProperty("template_name").GetString());
        Assert.Equal("id", message.GetProperty("language").GetString());
        var text = message.GetProperty("text").GetString()!;
        Assert.StartsWith("Halo Bu Warsih, ada permintaan untuk mengatur ulang kata sandi", text, StringComparison.Ordinal);
        Assert.Contains($"{shop.Address}reset-password?user=", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invitation_with_a_whatsapp_number_sends_its_code_there_and_a_wrong_number_or_address_is_refused_at_its_field()
    {
        var refused = await shop.Admin.Http.PostAsJsonAsync("/api/account/invitations",
            new { cooperativeId = shop.CooperativeId, kind = "Member", inviteeName = "Bu Rina", whatsApp = "12345", email = "bukan-email" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("invalid_whatsapp", problem.GetProperty("fieldCodes").GetProperty("whatsApp")[0].GetString());
        Assert.Equal("invalid_email", problem.GetProperty("fieldCodes").GetProperty("email")[0].GetString());

        var (phone, digits) = NewPhone();
        var created = await shop.Admin.Http.PostAsJsonAsync("/api/account/invitations",
            new { cooperativeId = shop.CooperativeId, kind = "Member", inviteeName = "Bu Rina", whatsApp = phone, email = $"rina-{StorefrontStack.Letters(6)}@desa.test" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var invitation = await created.Content.ReadFromJsonAsync<JsonElement>();
        var code = invitation.GetProperty("code").GetString()!;
        Assert.Equal("whatsApp", invitation.GetProperty("sentVia").GetString());

        using var emulator = Emulator();
        var message = await WhatsAppMessageAsync(emulator, digits, "the invitation on WhatsApp");
        Assert.Equal("account_invitation", message.GetProperty("template_name").GetString());
        var text = message.GetProperty("text").GetString()!;
        Assert.Contains($"bergabung dengan Koperasi {shop.Slug} sebagai anggota", text, StringComparison.Ordinal);
        Assert.Contains($"Kode undangan: {code}", text, StringComparison.Ordinal);
        Assert.Contains($"{shop.Address}join?code={code}", text, StringComparison.Ordinal);

        // The code from the message works.
        var (member, account) = await shop.Stack.JoinAsync(code, "Bu Rina", $"rina-{StorefrontStack.Letters(6)}@desa.test");
        member.Dispose();
        Assert.Equal(shop.CooperativeId, account.GetProperty("cooperativeIds")[0].GetGuid());
    }

    [Fact]
    public async Task The_gateway_announces_how_to_reach_an_account_when_it_is_made_and_when_it_joins_a_cooperative()
    {
        var shopperEmail = $"pembeli-{StorefrontStack.Letters(8)}@wisata.test";
        var shopper = await RegisterAsync(new { displayName = "Pembeli Baru", email = shopperEmail, password = "sandi-pembeli-baru" });
        var announced = await Eventually.GetAsync(
            async () => (await shop.Stack.PublishedAsync<AccountContactChanged>()).Where(c => c.UserId == shopper).ToList(),
            c => c.Count > 0,
            Patience,
            "the new account to be announced");
        var registered = Assert.Single(announced);
        Assert.Equal(("Pembeli Baru", shopperEmail, (string?)null, (Guid?)null), (registered.DisplayName, registered.Email, registered.WhatsApp, registered.MemberId));
        Assert.Empty(registered.AdministeredCooperatives);

        var (phone, _) = NewPhone();
        var memberCode = await GatewayStack.InviteAsync(shop.Admin, shop.CooperativeId, "Member", "Bu Tini");
        using var joined = shop.Stack.NewBrowser();
        var accepted = await joined.Http.PostAsJsonAsync("/api/account/invitations/accept", new { code = memberCode, displayName = "Bu Tini", phone, password = "sandi-anggota-baru" });
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        var member = await accepted.Content.ReadFromJsonAsync<JsonElement>();
        var memberUser = member.GetProperty("id").GetGuid();
        var memberId = member.GetProperty("memberId").GetGuid();
        var ofMember = await Eventually.GetAsync(
            async () => (await shop.Stack.PublishedAsync<AccountContactChanged>()).Where(c => c.UserId == memberUser).ToList(),
            c => c.Any(e => e.MemberId is not null),
            Patience,
            "the member's joining to be announced");
        var last = ofMember[^1];
        Assert.Equal((memberId, shop.CooperativeId, "+" + phone.Replace("0813", "62813", StringComparison.Ordinal), (string?)null),
            (last.MemberId!.Value, last.MemberCooperativeId!.Value, last.WhatsApp, last.Email));

        var adminCode = await GatewayStack.InviteAsync(shop.Admin, shop.CooperativeId, "Admin", "Bu Bendahara");
        var (admin, adminAccount) = await shop.Stack.JoinAsync(adminCode, "Bu Bendahara", $"bendahara-{StorefrontStack.Letters(6)}@{shop.Slug}.test");
        admin.Dispose();
        var adminUser = adminAccount.GetProperty("id").GetGuid();
        var ofAdmin = await Eventually.GetAsync(
            async () => (await shop.Stack.PublishedAsync<AccountContactChanged>()).Where(c => c.UserId == adminUser).ToList(),
            c => c.Any(e => e.AdministeredCooperatives.Count > 0),
            Patience,
            "the admin's joining to be announced");
        Assert.Equal([shop.CooperativeId], ofAdmin[^1].AdministeredCooperatives);
    }

    [Fact]
    public Task A_phone_only_account_resets_its_password_from_the_whatsapp_message() => shop.CapturingFailureAsync(async () =>
    {
        var (phone, digits) = NewPhone();
        await RegisterAsync(new { displayName = "Bu Karsih", phone, password = "sandi-lama-panjang" });

        var page = await shop.NewPhoneAsync();
        await page.GotoAsync("/masuk");
        await page.ClickAsync("text=Lupa kata sandi?");
        await page.FillAsync("#login", phone);
        await StorefrontStack.AccessibleAsync(page, "reset-by-whatsapp-1-forgot");
        await page.ClickAsync("form.stacked button[type=submit]");
        await Expect(page.Locator(".alert.ok")).ToContainTextAsync("lewat WhatsApp");
        await StorefrontStack.ScreenshotAsync(page, "reset-by-whatsapp-2-sent");

        // Her phone: the emulator's page for her number shows the message, with the link to follow.
        using var emulator = Emulator();
        await WhatsAppMessageAsync(emulator, digits, "the reset link on WhatsApp");
        var chat = await page.Context.NewPageAsync();
        await chat.GotoAsync($"{shop.Stack.WhatsAppAddress}numbers/{digits}");
        var link = chat.Locator("a[href*='reset-password']");
        await Expect(link).ToHaveCountAsync(1);
        await Expect(chat.Locator("body")).ToContainTextAsync("Halo Bu Karsih");
        await StorefrontStack.ScreenshotAsync(chat, "reset-by-whatsapp-3-message");
        await link.ClickAsync();
        await StorefrontStack.ArrivedAtAsync(chat, "**/reset-password?**");

        await StorefrontStack.AccessibleAsync(chat, "reset-by-whatsapp-4-new-password");
        await chat.FillAsync("#password", "Sandi-Baru-Karsih");
        await chat.ClickAsync("form.stacked button[type=submit]");
        await StorefrontStack.ArrivedAtAsync(chat, "**/masuk?notice=password-reset");
        await chat.FillAsync("#login", phone);
        await chat.FillAsync("#password", "Sandi-Baru-Karsih");
        await chat.ClickAsync("form.stacked button[type=submit]");
        await StorefrontStack.OnAccountPageAsync(chat);
        await Expect(chat.Locator("button:text-is('Keluar')")).ToBeVisibleAsync();
        await StorefrontStack.ScreenshotAsync(chat, "reset-by-whatsapp-5-signed-in");
    });

    [Fact]
    public Task An_admin_invites_by_whatsapp_from_the_members_page_and_sees_each_mistake_at_its_field() => shop.CapturingFailureAsync(async () =>
    {
        var page = await shop.SignedInAsync(shop.AdminLogin);
        await page.GotoAsync($"/admin/anggota?koperasi={shop.CooperativeId}");
        await page.FillAsync("#inviteeName", "Bu Sumi");
        await page.FillAsync("#inviteeWhatsApp", "0812");
        // The browser checks the address's shape itself; the number only the Gateway can judge.
        await page.FillAsync("#inviteeEmail", "sumi@desa.test");
        await page.ClickAsync("section[aria-labelledby=invite] button[type=submit]");

        await Expect(page.Locator("#inviteeWhatsApp-error")).ToContainTextAsync("bukan nomor HP");
        await Expect(page.Locator("#inviteeWhatsApp")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator("#inviteeEmail-error")).ToHaveCountAsync(0);
        await Expect(page.Locator("#inviteeName")).ToHaveValueAsync("Bu Sumi");
        await Expect(page.Locator("#inviteeWhatsApp")).ToHaveValueAsync("0812");
        await Expect(page.Locator("#inviteeEmail")).ToHaveValueAsync("sumi@desa.test");
        await Expect(page.Locator("[data-testid=invitation-code]")).ToHaveCountAsync(0);
        await StorefrontStack.AccessibleAsync(page, "invite-by-whatsapp-1-mistakes");

        var (phone, digits) = NewPhone();
        await page.FillAsync("#inviteeWhatsApp", phone);
        await page.ClickAsync("section[aria-labelledby=invite] button[type=submit]");
        var code = await page.Locator("[data-testid=invitation-code]").TextContentAsync();
        await Expect(page.Locator("[data-testid=invitation-sent]")).ToContainTextAsync("WhatsApp");
        await StorefrontStack.AccessibleAsync(page, "invite-by-whatsapp-2-code-shown-and-sent");

        using var emulator = Emulator();
        var message = await WhatsAppMessageAsync(emulator, digits, "the invitation on WhatsApp");
        Assert.Contains($"Kode undangan: {code}", message.GetProperty("text").GetString(), StringComparison.Ordinal);
    });

    [Fact]
    public Task The_platform_admin_invites_a_first_admin_by_email_in_her_own_language() => shop.CapturingFailureAsync(async () =>
    {
        var page = await shop.NewPhoneAsync();
        await page.GotoAsync("/masuk");
        await page.FillAsync("#login", GatewayStack.PlatformAdminEmail);
        await page.FillAsync("#password", GatewayStack.PlatformAdminPassword);
        await page.ClickAsync("form.stacked button[type=submit]");
        await StorefrontStack.OnAccountPageAsync(page);
        await page.GotoAsync("/bahasa/en?kembali=/admin/koperasi");
        await StorefrontStack.ArrivedAtAsync(page, "**/admin/koperasi");

        var email = $"ketua-{StorefrontStack.Letters(8)}@{shop.Slug}.test";
        await page.SelectOptionAsync("#invite-cooperative", shop.CooperativeId.ToString());
        await page.FillAsync("#inviteeName", "Mrs Chair");
        await page.FillAsync("#inviteeEmail", email);
        await page.ClickAsync("section[aria-labelledby=invite-admin] button[type=submit]");
        var code = (await page.Locator("[data-testid=admin-invitation-code]").TextContentAsync())!.Trim();
        await Expect(page.Locator("[data-testid=admin-invitation-sent]")).ToHaveTextAsync("The code is also on its way to her email.");
        await StorefrontStack.AccessibleAsync(page, "invite-by-email-1-platform-admin");

        var mail = shop.Stack.Mail!.Inbox;
        var received = await mail.ReadAsync(Assert.Single(await mail.WaitForMessagesToAsync(email, timeout: Patience)).Id);
        Assert.Equal($"An invitation to join Koperasi {shop.Slug}", received.Subject);
        Assert.Contains($"You are invited to join Koperasi {shop.Slug} as a cooperative admin on Oleh-oleh Pantai Binor.", received.PlainText, StringComparison.Ordinal);
        Assert.Contains($"Invitation code: {code}", received.PlainText, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"{shop.Address}join?code={code}\"", received.Html, StringComparison.Ordinal);
    });
}
