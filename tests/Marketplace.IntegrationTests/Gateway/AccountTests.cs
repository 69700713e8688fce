using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Marketplace.IntegrationTests;

/// <summary>Accounts at the Gateway: registration, sign-in by email or phone, wrong-password limits, reset, tokens, sign-out.</summary>
public sealed partial class AccountTests(GatewayStack stack) : IClassFixture<GatewayStack>
{
    [Fact]
    public async Task A_shopper_registers_and_signs_in_with_her_email_or_her_phone_number()
    {
        using var browser = stack.NewBrowser();
        var registered = await browser.Http.PostAsJsonAsync("/api/account/register",
            new { displayName = "Rina", email = "rina@wisata.test", phone = "0812-1111-2233", password = "pantai-binor-indah" });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);

        using var byPhone = stack.NewBrowser();
        await byPhone.SignInAsync("+62 812 1111 2233", "pantai-binor-indah");
        var me = await byPhone.Http.GetFromJsonAsync<JsonElement>("/api/account/me");

        Assert.Equal("Rina", me.GetProperty("displayName").GetString());
        Assert.Equal("+6281211112233", me.GetProperty("phone").GetString());
        Assert.Equal(["shopper"], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()!).ToArray());
        using var byEmail = stack.NewBrowser();
        await byEmail.SignInAsync("RINA@wisata.test", "pantai-binor-indah");
    }

    [Fact]
    public async Task Registration_refuses_a_taken_email_a_short_password_and_no_way_to_sign_in()
    {
        using var browser = stack.NewBrowser();
        var first = await browser.Http.PostAsJsonAsync("/api/account/register", new { displayName = "Dewi", email = "dewi@wisata.test", password = "kerupuk-ikan-enak" });
        var taken = await browser.Http.PostAsJsonAsync("/api/account/register", new { displayName = "Dewi 2", email = "Dewi@Wisata.test", password = "kerupuk-ikan-enak" });
        var shortPassword = await browser.Http.PostAsJsonAsync("/api/account/register", new { displayName = "Ayu", email = "ayu@wisata.test", password = "pendek" });
        var noLogin = await browser.Http.PostAsJsonAsync("/api/account/register", new { displayName = "Ayu", password = "kerupuk-ikan-enak" });

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, shortPassword.StatusCode);
        Assert.Contains("password", await shortPassword.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, noLogin.StatusCode);
    }

    [Fact]
    public async Task Five_wrong_passwords_hold_back_that_client_even_with_the_right_one_but_lock_nothing()
    {
        using var browser = stack.NewBrowser();
        await browser.Http.PostAsJsonAsync("/api/account/register", new { displayName = "Lina", email = "lina@wisata.test", password = "benar-sekali-ini" });

        using var attacker = stack.NewBrowser();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            statuses.Add((await attacker.TrySignInAsync("lina@wisata.test", "salah-" + i)).StatusCode);
        }

        var rightPassword = await attacker.TrySignInAsync("lina@wisata.test", "benar-sekali-ini");
        // The token endpoint counts the same guesses: it is no way around the limit from the same client.
        var token = await stack.NewApiClient().PostAsync("/connect/token", PasswordGrant("lina@wisata.test", "benar-sekali-ini"));
        await using var scope = stack.Gateway.CreateScope();
        var user = await Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
            .GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Marketplace.Gateway.Accounts.MarketplaceUser>>(scope.ServiceProvider)
            .FindByEmailAsync("lina@wisata.test");

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, rightPassword.StatusCode);
        Assert.True(rightPassword.Headers.RetryAfter is not null);
        Assert.Equal(HttpStatusCode.TooManyRequests, token.StatusCode);
        // Nothing stored with the account: from any other client (AbuseLimitsTests) she signs in at once.
        Assert.Null(user!.LockoutEnd);
        Assert.Equal(0, user.AccessFailedCount);
    }

    [Fact]
    public async Task An_unknown_account_and_a_wrong_password_get_the_same_answer()
    {
        using var browser = stack.NewBrowser();
        await browser.Http.PostAsJsonAsync("/api/account/register", new { displayName = "Maya", email = "maya@wisata.test", password = "benar-sekali-ini" });

        var unknown = await browser.TrySignInAsync("siapa@wisata.test", "apa-saja-boleh");
        var wrong = await browser.TrySignInAsync("maya@wisata.test", "apa-saja-boleh");

        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        var unknownProblem = await unknown.Content.ReadFromJsonAsync<JsonElement>();
        var wrongProblem = await wrong.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(unknownProblem.GetProperty("detail").GetString(), wrongProblem.GetProperty("detail").GetString());
        Assert.Equal(unknownProblem.GetProperty("code").GetString(), wrongProblem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_password_reset_link_sets_a_new_password_once_and_ends_the_old_sessions()
    {
        using var oldSession = stack.NewBrowser();
        var registered = await oldSession.Http.PostAsJsonAsync("/api/account/register", new { displayName = "Sari", phone = "0813-5555-0001", password = "lama-sekali-ini" });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        await oldSession.SignInAsync("081355550001", "lama-sekali-ini");
        var forgot = await stack.NewApiClient().PostAsJsonAsync("/api/account/password/forgot", new { login = "0813 5555 0001" });
        var unknown = await stack.NewApiClient().PostAsJsonAsync("/api/account/password/forgot", new { login = "nobody@wisata.test" });
        Assert.Equal(HttpStatusCode.Accepted, forgot.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, unknown.StatusCode);

        // The Gateway announces the request for Notifications to send: once, to the account's only address, its phone.
        var requested = await Marketplace.Testing.Eventually.GetAsync(
            async () => (await stack.PublishedAsync<Contracts.Gateway.PasswordResetRequested>()).Where(r => r.WhatsApp == "+6281355550001").ToList(),
            r => r.Count > 0,
            because: "the reset request to be published");
        var request = Assert.Single(requested);
        Assert.Null(request.Email);
        Assert.Equal("Sari", request.DisplayName);
        Assert.Equal("id", request.Language);
        Assert.DoesNotContain(await stack.PublishedAsync<Contracts.Gateway.PasswordResetRequested>(), r => r.Email == "nobody@wisata.test");
        var link = ResetLink().Match(request.ResetLink.ToString());
        Assert.True(link.Success, request.ResetLink.ToString());
        var reset = new { userId = Guid.Parse(link.Groups["user"].Value), token = Uri.UnescapeDataString(link.Groups["token"].Value), newPassword = "baru-dan-panjang" };

        var first = await stack.NewApiClient().PostAsJsonAsync("/api/account/password/reset", reset);
        var again = await stack.NewApiClient().PostAsJsonAsync("/api/account/password/reset", reset with { newPassword = "lagi-lagi-baru" });

        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await oldSession.Http.GetAsync(new Uri("/api/account/me", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await stack.NewBrowser().TrySignInAsync("081355550001", "lama-sekali-ini")).StatusCode);
        await stack.NewBrowser().SignInAsync("081355550001", "baru-dan-panjang");
    }

    [Fact]
    public async Task An_api_client_gets_tokens_refreshes_them_and_loses_them_when_signing_out_everywhere()
    {
        using var browser = stack.NewBrowser();
        await browser.Http.PostAsJsonAsync("/api/account/register", new { displayName = "Tari", email = "tari@wisata.test", password = "token-dan-sesi" });

        var api = stack.NewApiClient();
        var issued = await api.PostAsync("/connect/token", PasswordGrant("tari@wisata.test", "token-dan-sesi", "offline_access"));
        Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
        var tokens = await issued.Content.ReadFromJsonAsync<JsonElement>();
        var access = tokens.GetProperty("access_token").GetString()!;
        var refresh = tokens.GetProperty("refresh_token").GetString()!;

        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", access);
        var me = await api.GetFromJsonAsync<JsonElement>("/api/account/me");
        Assert.Equal("Tari", me.GetProperty("displayName").GetString());

        var refreshed = await stack.NewApiClient().PostAsync("/connect/token", RefreshGrant(refresh));
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        var newRefresh = (await refreshed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("refresh_token").GetString()!;

        // No antiforgery token is needed with a bearer token: nothing is sent by a browser on its own.
        var signedOut = await api.PostAsync("/api/account/sign-out-everywhere", null);
        Assert.Equal(HttpStatusCode.NoContent, signedOut.StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync(new Uri("/api/account/me", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await stack.NewApiClient().PostAsync("/connect/token", RefreshGrant(newRefresh))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.Http.GetAsync(new Uri("/api/account/me", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task A_state_changing_request_from_a_signed_in_browser_needs_the_antiforgery_token()
    {
        using var admin = await stack.SignedInPlatformAdminAsync();
        var token = admin.Http.DefaultRequestHeaders.GetValues("X-XSRF-TOKEN").Single();
        admin.Http.DefaultRequestHeaders.Remove("X-XSRF-TOKEN");

        var without = await admin.Http.PostAsJsonAsync("/api/catalog/cooperatives", new { slug = "koperasi-csrf", name = "Koperasi CSRF", feePercent = 5m });
        admin.Http.DefaultRequestHeaders.Add("X-XSRF-TOKEN", "bukan-token");
        var forged = await admin.Http.PostAsJsonAsync("/api/catalog/cooperatives", new { slug = "koperasi-csrf", name = "Koperasi CSRF", feePercent = 5m });
        admin.Http.DefaultRequestHeaders.Remove("X-XSRF-TOKEN");
        admin.Http.DefaultRequestHeaders.Add("X-XSRF-TOKEN", token);
        var with = await admin.Http.PostAsJsonAsync("/api/catalog/cooperatives", new { slug = "koperasi-csrf", name = "Koperasi CSRF", feePercent = 5m });

        Assert.Equal(HttpStatusCode.BadRequest, without.StatusCode);
        Assert.Contains("antiforgery", await without.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.Created, with.StatusCode);
    }

    [Fact]
    public async Task The_session_cookie_is_http_only_and_same_site()
    {
        var response = await stack.NewBrowser().TrySignInAsync(GatewayStack.PlatformAdminEmail, GatewayStack.PlatformAdminPassword);

        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("marketplace.session=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task An_invalid_bearer_token_is_refused_at_the_gateway_even_for_public_reads()
    {
        var api = stack.NewApiClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "bukan.token.sah");

        var response = await api.GetAsync(new Uri("/api/catalog/products", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.NotEmpty(response.Headers.WwwAuthenticate);
    }

    private static FormUrlEncodedContent PasswordGrant(string username, string password, string? scope = null) => new(new Dictionary<string, string>
    {
        ["grant_type"] = "password",
        ["username"] = username,
        ["password"] = password,
        ["scope"] = scope ?? string.Empty,
    });

    private static FormUrlEncodedContent RefreshGrant(string refreshToken) => new(new Dictionary<string, string>
    {
        ["grant_type"] = "refresh_token",
        ["refresh_token"] = refreshToken,
    });

    [GeneratedRegex(@"reset-password\?user=(?<user>[0-9a-f-]{36})&token=(?<token>\S+)")]
    private static partial Regex ResetLink();
}
