using System.Net;
using System.Net.Http.Json;

namespace Marketplace.IntegrationTests;

/// <summary>Rate limits, body limits, security headers and CORS at the Gateway (alone: nothing reaches a service).</summary>
public sealed class GatewayLimitsTests
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
    public async Task Sign_in_attempts_from_one_address_are_limited_whatever_forwarded_address_it_claims()
    {
        await using var stack = await GatewayAloneAsync(("RateLimits:AccountPerIp:PermitLimit", "5"));
        var statuses = new List<HttpResponseMessage>();
        for (var i = 0; i < 7; i++)
        {
            var client = stack.NewApiClient();
            client.DefaultRequestHeaders.Add("X-Forwarded-For", $"203.0.113.{i}");
            statuses.Add(await client.PostAsJsonAsync("/api/account/sign-in", new { login = $"orang{i}@wisata.test", password = "tebak-tebakan" }));
        }

        Assert.All(statuses.Take(5), r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        Assert.All(statuses.Skip(5), r => Assert.Equal(HttpStatusCode.TooManyRequests, r.StatusCode));
        Assert.True(int.Parse(statuses[^1].Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) > 0);
    }

    [Fact]
    public async Task Attempts_on_one_account_are_limited_while_other_accounts_still_answer()
    {
        await using var stack = await GatewayAloneAsync(("RateLimits:AccountPerLogin:PermitLimit", "3"));
        var api = stack.NewApiClient();
        var attempts = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            attempts.Add((await api.PostAsJsonAsync("/api/account/sign-in", new { login = "target@wisata.test", password = "coba-" + i })).StatusCode);
        }

        var reset = await api.PostAsJsonAsync("/api/account/password/forgot", new { login = "TARGET@wisata.test" });
        var other = await api.PostAsJsonAsync("/api/account/sign-in", new { login = "lain@wisata.test", password = "coba-saja" });

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], attempts);
        Assert.Equal(HttpStatusCode.TooManyRequests, reset.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, other.StatusCode);
    }

    [Fact]
    public async Task Anonymous_reads_are_limited_per_address_and_writes_per_user()
    {
        await using var stack = await GatewayAloneAsync(("RateLimits:AnonymousReadsPerIp:PermitLimit", "4"), ("RateLimits:WritesPerUser:PermitLimit", "3"));
        var anonymous = stack.NewApiClient();
        var reads = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            reads.Add((await anonymous.GetAsync(new Uri("/api/catalog/products", UriKind.Relative))).StatusCode);
        }

        using var admin = await stack.SignedInPlatformAdminAsync();
        var signedInRead = await admin.Http.GetAsync(new Uri("/api/account/me", UriKind.Relative));
        var writes = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            writes.Add((await admin.Http.PostAsJsonAsync("/api/account/invitations", new { cooperativeId = Guid.NewGuid(), kind = "member" })).StatusCode);
        }

        // The first reads pass the Gateway and find no Catalog behind it; the one over the limit never leaves.
        Assert.All(reads.Take(4), s => Assert.NotEqual(HttpStatusCode.TooManyRequests, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, reads[4]);
        Assert.Equal(HttpStatusCode.OK, signedInRead.StatusCode);
        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.TooManyRequests], writes);
    }

    [Fact]
    public async Task Bodies_over_the_routes_limit_are_refused_at_the_gateway()
    {
        await using var stack = await GatewayAloneAsync();
        // An upload client waits for the server's go-ahead before sending the body; give it time on a busy machine.
        using var api = new HttpClient(new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromSeconds(30) }) { BaseAddress = stack.GatewayAddress };
        var product = Guid.NewGuid();

        var hugePhoto = await SendAsync(api, $"/api/catalog/products/{product}/images", 16 * 1024 * 1024);
        var photo = await SendAsync(api, $"/api/catalog/products/{product}/images", 3 * 1024 * 1024);
        var hugeJson = await SendAsync(api, "/api/catalog/products", 2 * 1024 * 1024);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, hugePhoto.StatusCode);
        // Within the photo route's limit: forwarded, and there is no Catalog behind this Gateway.
        Assert.Equal(HttpStatusCode.BadGateway, photo.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, hugeJson.StatusCode);
    }

    [Fact]
    public async Task Responses_carry_security_headers_and_cors_stays_closed()
    {
        await using var stack = await GatewayAloneAsync();
        var api = stack.NewApiClient();
        var response = await api.GetAsync(new Uri("/api/account/antiforgery", UriKind.Relative));
        using var preflight = new HttpRequestMessage(HttpMethod.Options, new Uri("/api/account/sign-in", UriKind.Relative));
        preflight.Headers.Add("Origin", "https://situs-jahat.example");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "content-type");
        var cors = await api.SendAsync(preflight);

        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.False(cors.Headers.Contains("Access-Control-Allow-Origin"));
    }

    /// <summary>Asks before sending the body (Expect: 100-continue), as upload clients do, so a refusal arrives as an answer.</summary>
    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string path, int length)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = new ByteArrayContent(new byte[length]) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        request.Headers.ExpectContinue = true;
        try
        {
            return await client.SendAsync(request);
        }
        catch (HttpRequestException ex)
        {
            throw new InvalidOperationException($"{path} with {length} bytes", ex);
        }
    }
}
