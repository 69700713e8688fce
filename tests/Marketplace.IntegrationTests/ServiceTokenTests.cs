using System.Net;
using System.Net.Http.Json;
using Marketplace.ServiceDefaults.Identity;
using Marketplace.Testing;

namespace Marketplace.IntegrationTests;

public sealed class ServiceTokenTests : IAsyncLifetime
{
    private ServiceHost<Catalog.Program> _catalog = null!;

    public async Task InitializeAsync()
    {
        var scope = await TestScope.CreateAsync();
        var settings = ServiceSettings.For(scope, TestTokens.Issuer, "catalog");
        settings["ConnectionStrings:catalogdb"] = scope.Database("catalog");
        _catalog = new ServiceHost<Catalog.Program>(settings);
    }

    public async Task DisposeAsync() => await _catalog.DisposeAsync();

    public static TheoryData<string, string> RefusedTokens()
    {
        var admin = new ServiceCaller(Guid.NewGuid(), [MarketplaceRoles.PlatformAdmin]);
        return new TheoryData<string, string>
        {
            { "no token", string.Empty },
            { "signed with another key", ServiceTokenIssuer.CreateWithNewKey().Mint(admin) },
            { "expired", TestTokens.Issuer.Mint(admin, DateTimeOffset.UtcNow.AddHours(-1)) },
            { "for another audience", new ServiceTokenIssuer(TestTokens.Issuer.Key, TestTokens.Issuer.Issuer, "someone-else", TimeSpan.FromMinutes(5)).Mint(admin) },
            { "from another issuer", new ServiceTokenIssuer(TestTokens.Issuer.Key, "not-the-gateway", TestTokens.Issuer.Audience, TimeSpan.FromMinutes(5)).Mint(admin) },
            { "unsigned", UnsignedToken() },
        };
    }

    [Theory]
    [MemberData(nameof(RefusedTokens))]
    public async Task An_endpoint_that_needs_a_user_answers_401_to_a_bad_token(string why, string token)
    {
        var client = _catalog.CreateClient();
        if (token.Length > 0)
        {
            client.WithToken(token);
        }

        var response = await client.PostAsJsonAsync("/api/catalog/cooperatives", new { slug = "koperasi-palsu", name = "Koperasi Palsu", feePercent = 5m });

        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{why}: got {(int)response.StatusCode}");
    }

    [Fact]
    public async Task A_valid_token_without_the_role_is_forbidden_and_with_it_is_allowed()
    {
        var request = new { slug = "koperasi-asli", name = "Koperasi Asli", feePercent = 5m };

        var asShopper = await _catalog.CreateClient().WithToken(TestTokens.Shopper()).PostAsJsonAsync("/api/catalog/cooperatives", request);
        var asAdmin = await _catalog.CreateClient().WithToken(TestTokens.PlatformAdmin()).PostAsJsonAsync("/api/catalog/cooperatives", request);

        Assert.Equal(HttpStatusCode.Forbidden, asShopper.StatusCode);
        Assert.Equal(HttpStatusCode.Created, asAdmin.StatusCode);
    }

    [Fact]
    public async Task A_cooperative_admin_cannot_change_another_cooperative_nor_learn_that_it_exists()
    {
        var created = await _catalog.CreateClient().WithToken(TestTokens.PlatformAdmin())
            .PostAsJsonAsync("/api/catalog/cooperatives", new { slug = "koperasi-lain", name = "Koperasi Lain", feePercent = 5m });
        var cooperative = (await created.Content.ReadFromJsonAsync<Catalog.Cooperatives.CooperativeResponse>())!;

        var otherAdmin = _catalog.CreateClient().WithToken(TestTokens.CooperativeAdmin(Guid.NewGuid()));
        var response = await otherAdmin.PutAsJsonAsync($"/api/catalog/cooperatives/{cooperative.Id}/name", new { name = "Diambil Alih" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static string UnsignedToken()
    {
        static string Encode(string json) => Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(json);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return $"{Encode("""{"alg":"none","typ":"JWT"}""")}.{Encode($$"""{"sub":"{{Guid.NewGuid()}}","role":"platform-admin","iss":"marketplace-gateway","aud":"marketplace-services","iat":{{now}},"nbf":{{now}},"exp":{{now + 300}}}""")}.";
    }
}
