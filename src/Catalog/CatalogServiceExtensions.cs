using Marketplace.Catalog.Cooperatives;
using Marketplace.Catalog.Data;
using Marketplace.ServiceDefaults.Identity;
using Marketplace.ServiceDefaults.Messaging;

namespace Marketplace.Catalog;

public static class CatalogServiceExtensions
{
    /// <summary>Catalog's database, messaging and authentication.</summary>
    public static IHostApplicationBuilder AddCatalog(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDbContext<CatalogDbContext>("catalogdb", CatalogDbContext.Schema);
        builder.AddMessaging<CatalogDbContext>();
        builder.AddServiceAuthentication();
        return builder;
    }

    /// <summary>Every Catalog endpoint lives under <c>/api/catalog</c>, the prefix the Gateway routes here.</summary>
    public static IEndpointRouteBuilder MapCatalogApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/catalog");
        api.MapCooperativesApi();
        return app;
    }
}
