using System.Net.Http.Json;
using Marketplace.Catalog.Cooperatives;
using Marketplace.Testing;

namespace Marketplace.IntegrationTests;

/// <summary>Catalog and Orders hosted side by side on one test's databases and virtual host.</summary>
public sealed class CatalogAndOrders : IAsyncDisposable
{
    private CatalogAndOrders(TestScope scope, ServiceHost<Catalog.Program> catalog, ServiceHost<Orders.Program> orders)
    {
        Scope = scope;
        Catalog = catalog;
        Orders = orders;
    }

    public TestScope Scope { get; }

    public ServiceHost<Catalog.Program> Catalog { get; }

    public ServiceHost<Orders.Program> Orders { get; }

    public static async Task<CatalogAndOrders> StartAsync(TestScope scope)
    {
        var catalogSettings = ServiceSettings.For(scope, TestTokens.Issuer, "catalog");
        catalogSettings["ConnectionStrings:catalogdb"] = scope.Database("catalog");
        var ordersSettings = ServiceSettings.For(scope, TestTokens.Issuer, "orders");
        ordersSettings["ConnectionStrings:ordersdb"] = scope.Database("orders");

        var services = new CatalogAndOrders(scope, new ServiceHost<Catalog.Program>(catalogSettings), new ServiceHost<Orders.Program>(ordersSettings));
        await services.WaitUntilReadyAsync();
        return services;
    }

    public async Task WaitUntilReadyAsync()
    {
        var catalog = Catalog.CreateClient();
        var orders = Orders.CreateClient();
        await Eventually.TrueAsync(
            async () => (await catalog.GetAsync(new Uri("/health/ready", UriKind.Relative))).IsSuccessStatusCode
                && (await orders.GetAsync(new Uri("/health/ready", UriKind.Relative))).IsSuccessStatusCode,
            TimeSpan.FromSeconds(60),
            "Catalog and Orders to be ready");
    }

    public async Task<CooperativeResponse> RegisterCooperativeAsync(string slug, string name = "Koperasi Wanita Binor Sejahtera")
    {
        var client = Catalog.CreateClient().WithToken(TestTokens.PlatformAdmin());
        var response = await client.PostAsJsonAsync("/api/catalog/cooperatives", new { slug, name, feePercent = 10m });
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<CooperativeResponse>())!;
    }

    public async Task<string?> MerchantNameInOrdersAsync(Guid cooperativeId)
    {
        var response = await Orders.CreateClient().GetAsync(new Uri($"/api/orders/merchants/{cooperativeId}", UriKind.Relative));
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<Orders.Merchants.MerchantResponse>())!.Name;
    }

    public async ValueTask DisposeAsync()
    {
        await Orders.DisposeAsync();
        await Catalog.DisposeAsync();
    }
}
