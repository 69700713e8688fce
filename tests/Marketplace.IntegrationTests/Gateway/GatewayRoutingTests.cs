using System.Net;
using System.Net.Http.Json;
using Marketplace.LocalInfrastructure;
using Marketplace.ServiceDefaults.Identity;
using Marketplace.Testing;

namespace Marketplace.IntegrationTests;

/// <summary>The Gateway and Catalog on real ports, as they run: Catalog trusts only the Gateway's published keys.</summary>
public sealed class GatewayRoutingTests : IAsyncLifetime
{
    private ServiceHost<Gateway.Program> _gateway = null!;
    private ServiceHost<Catalog.Program> _catalog = null!;
    private HttpClient _viaGateway = null!;
    private HttpClient _catalogDirect = null!;

    public async Task InitializeAsync()
    {
        var scope = await TestScope.CreateAsync();
        var gatewayPort = FreePorts.Next();
        var catalogPort = FreePorts.Next();

        var gatewaySettings = ServiceSettings.For(scope, TestTokens.Issuer, "gateway");
        gatewaySettings["ConnectionStrings:gatewaydb"] = scope.Database("gateway");
        gatewaySettings["Services:catalog:http:0"] = $"http://127.0.0.1:{catalogPort}";
        gatewaySettings["Services:orders:http:0"] = "http://127.0.0.1:1";
        gatewaySettings["Services:web:http:0"] = "http://127.0.0.1:1";
        _gateway = new ServiceHost<Gateway.Program>(gatewaySettings);
        _gateway.ListenOn(gatewayPort);

        var catalogSettings = ServiceSettings.For(scope, TestTokens.Issuer, "catalog");
        catalogSettings["ConnectionStrings:catalogdb"] = scope.Database("catalog");
        catalogSettings["ServiceTokens:Jwks"] = null;
        catalogSettings["ServiceTokens:JwksUri"] = $"http://127.0.0.1:{gatewayPort}/internal/jwks";
        _catalog = new ServiceHost<Catalog.Program>(catalogSettings);
        _catalog.ListenOn(catalogPort);

        _gateway.StartServer();
        _catalog.StartServer();
        _viaGateway = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{gatewayPort}") };
        _catalogDirect = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{catalogPort}") };
        await Eventually.TrueAsync(async () => (await _catalogDirect.GetAsync(new Uri("/health/ready", UriKind.Relative))).IsSuccessStatusCode,
            TimeSpan.FromSeconds(60), "Catalog to be ready");
    }

    public async Task DisposeAsync()
    {
        _viaGateway.Dispose();
        _catalogDirect.Dispose();
        await _catalog.DisposeAsync();
        await _gateway.DisposeAsync();
    }

    [Fact]
    public async Task Catalog_accepts_a_token_signed_with_the_Gateways_published_key()
    {
        var gatewayIssuer = _gateway.GetRequired<ServiceTokenIssuer>();
        var token = gatewayIssuer.Mint(new ServiceCaller(Guid.NewGuid(), [MarketplaceRoles.PlatformAdmin]));
        _catalogDirect.WithToken(token);

        var response = await _catalogDirect.PostAsJsonAsync("/api/catalog/cooperatives", new { slug = "koperasi-gerbang", name = "Koperasi Gerbang", feePercent = 7.5m });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Catalog_refuses_a_token_signed_with_any_other_key()
    {
        _catalogDirect.WithToken(TestTokens.PlatformAdmin());

        var response = await _catalogDirect.PostAsJsonAsync("/api/catalog/cooperatives", new { slug = "koperasi-tamu", name = "Koperasi Tamu", feePercent = 5m });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task The_Gateway_routes_catalog_requests_and_drops_identity_sent_from_outside()
    {
        // Even a token Catalog would accept is not passed through: only the Gateway speaks for a user, and to the
        // Gateway it is no token of its own.
        var genuine = _gateway.GetRequired<ServiceTokenIssuer>().Mint(new ServiceCaller(Guid.NewGuid(), [MarketplaceRoles.PlatformAdmin]));
        using var withServiceToken = new HttpClient { BaseAddress = _viaGateway.BaseAddress };
        withServiceToken.WithToken(genuine);
        _viaGateway.DefaultRequestHeaders.Add("X-User-Id", Guid.NewGuid().ToString());
        _viaGateway.DefaultRequestHeaders.Add("X-User-Roles", MarketplaceRoles.PlatformAdmin);

        var passedThrough = await withServiceToken.PostAsJsonAsync("/api/catalog/cooperatives", new { slug = "koperasi-luar", name = "Koperasi Luar", feePercent = 5m });
        var spoofed = await _viaGateway.PostAsJsonAsync("/api/catalog/cooperatives", new { slug = "koperasi-luar", name = "Koperasi Luar", feePercent = 5m });
        var read = await _viaGateway.GetAsync(new Uri("/api/catalog/cooperatives/tidak-ada", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, passedThrough.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, spoofed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        Assert.Equal("application/problem+json", read.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await _catalogDirect.GetAsync(new Uri("/api/catalog/cooperatives/koperasi-luar", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task The_Gateway_reports_itself_ready_and_which_routed_service_is_not()
    {
        var response = await _viaGateway.GetAsync(new Uri("/health/ready", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"Degraded\"", body, StringComparison.Ordinal);
        Assert.Contains("orders", body, StringComparison.Ordinal);
    }
}
