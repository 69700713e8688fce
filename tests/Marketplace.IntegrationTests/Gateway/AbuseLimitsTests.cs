using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Marketplace.IntegrationTests;

/// <summary>
/// No kind of client can crowd out another: signed-in readers are limited per account, and wrong passwords per login
/// and client, so a stranger cannot lock an owner out, nor learn from the answers whether an account exists.
/// </summary>
public sealed class AbuseLimitsTests
{
    private static async Task<GatewayStack> GatewayAloneAsync(params (string Key, string Value)[] settings)
    {
        var stack = new GatewayStack { WithServices = false };
        foreach (var (key, value) in settings)
        {
            stack.GatewayOverrides[key] = value;
        }

        await stack.InitializeAsync();
        return stack;
    }

    [Fact]
    public async Task One_account_flooding_reads_is_answered_429_while_another_shopper_is_still_served()
    {
        await using var stack = await GatewayAloneAsync(("RateLimits:ReadsPerUser:PermitLimit", "5"));
        using var flooder = await RegisteredShopperAsync(stack, "banjir");
        using var shopper = await RegisteredShopperAsync(stack, "tenang");
        var me = new Uri("/api/account/me", UriKind.Relative);

        var flood = new List<HttpResponseMessage>();
        for (var i = 0; i < 8; i++)
        {
            flood.Add(await flooder.Http.GetAsync(me));
        }

        var served = await shopper.Http.GetAsync(me);

        Assert.All(flood.Take(5), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.All(flood.Skip(5), r => Assert.Equal(HttpStatusCode.TooManyRequests, r.StatusCode));
        Assert.True(int.Parse(flood[^1].Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Equal("application/problem+json", flood[^1].Content.Headers.ContentType?.MediaType);
        Assert.Equal("rate_limited", (await ProblemAsync(flood[^1])).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }

    [Fact]
    public async Task Five_wrong_passwords_from_one_client_do_not_stop_the_owner_signing_in_from_another()
    {
        // Loopback is the ingress here, so each request's X-Forwarded-For is its client.
        await using var stack = await GatewayAloneAsync(("Gateway:TrustedProxies:0", "127.0.0.0/8"));
        var stranger = stack.NewApiClient();
        stranger.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.66");

        var guesses = new List<HttpStatusCode>();
        for (var i = 0; i < 7; i++)
        {
            guesses.Add((await stranger.PostAsJsonAsync("/api/account/sign-in", new { login = GatewayStack.PlatformAdminEmail, password = "tebakan-" + i })).StatusCode);
        }

        // Even the right password is not tried from the stranger's client any more: it has used up its guesses.
        var rightFromStranger = await stranger.PostAsJsonAsync("/api/account/sign-in", new { login = GatewayStack.PlatformAdminEmail, password = GatewayStack.PlatformAdminPassword });
        using var owner = stack.NewBrowser();
        owner.Http.DefaultRequestHeaders.Add("X-Forwarded-For", "198.51.100.7");
        var ownerSignIn = await owner.TrySignInAsync(GatewayStack.PlatformAdminEmail, GatewayStack.PlatformAdminPassword);

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.Unauthorized, 5), HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], guesses);
        Assert.Equal(HttpStatusCode.TooManyRequests, rightFromStranger.StatusCode);
        Assert.True(ownerSignIn.IsSuccessStatusCode, $"{(int)ownerSignIn.StatusCode} {await ownerSignIn.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task Wrong_passwords_for_a_known_and_an_unknown_account_get_the_same_answers()
    {
        await using var stack = await GatewayAloneAsync();
        using var known = await RegisteredShopperAsync(stack, "ada");
        var api = stack.NewApiClient();

        async Task<List<(HttpStatusCode Status, string Body)>> GuessAsync(string login)
        {
            var answers = new List<(HttpStatusCode, string)>();
            for (var i = 0; i < 7; i++)
            {
                var response = await api.PostAsJsonAsync("/api/account/sign-in", new { login, password = "salah-terus-" + i });
                var problem = await ProblemAsync(response);
                // The trace id differs per request and Retry-After by the second; everything else must be equal.
                answers.Add((response.StatusCode, $"{problem.GetProperty("title").GetString()}|{problem.GetProperty("code").GetString()}|{problem.GetProperty("status").GetInt32()}"));
            }

            return answers;
        }

        var forKnown = await GuessAsync("ada@wisata.test");
        var forUnknown = await GuessAsync("tidak-ada@wisata.test");

        Assert.Equal(forKnown, forUnknown);
        Assert.DoesNotContain(forKnown, a => a.Status == HttpStatusCode.Locked);
        Assert.Equal(HttpStatusCode.TooManyRequests, forKnown[^1].Status);
    }

    [Fact]
    public async Task A_hundred_thousand_character_search_is_answered_with_a_problem_body()
    {
        await using var stack = await GatewayAloneAsync();
        var api = stack.NewApiClient();

        var response = await api.GetAsync(new Uri("/api/catalog/search?q=" + new string('a', 100_000), UriKind.Relative));

        Assert.Equal(HttpStatusCode.RequestUriTooLong, response.StatusCode);
        Assert.Equal("url_too_long", (await ProblemAsync(response)).GetProperty("code").GetString());
    }

    private static async Task<Browser> RegisteredShopperAsync(GatewayStack stack, string name)
    {
        var browser = stack.NewBrowser();
        var response = await browser.Http.PostAsJsonAsync("/api/account/register", new { displayName = "Ibu " + name, email = $"{name}@wisata.test", password = "kerupuk-ikan-enak" });
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        browser.RememberAntiforgeryToken(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement);
        return browser;
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
}
