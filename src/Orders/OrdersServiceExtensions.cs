using Marketplace.Orders.Data;
using Marketplace.Orders.Merchants;
using Marketplace.Orders.Sellables;
using Marketplace.ServiceDefaults.Identity;
using Marketplace.ServiceDefaults.Messaging;

namespace Marketplace.Orders;

public static class OrdersServiceExtensions
{
    /// <summary>The ordered queue on which Orders keeps its copy of Catalog's cooperatives.</summary>
    public const string CatalogEventsEndpoint = "orders-catalog-cooperatives";

    /// <summary>Orders' database, messaging (with its consumers) and authentication.</summary>
    public static IHostApplicationBuilder AddOrders(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDbContext<OrdersDbContext>("ordersdb", OrdersDbContext.Schema);
        builder.AddMessaging<OrdersDbContext>(bus =>
        {
            // A cooperative's messages share one ordered queue: a rename must not overtake the registration.
            bus.AddOrderedConsumer<CooperativeRegisteredConsumer>(CatalogEventsEndpoint);
            bus.AddOrderedConsumer<CooperativeUpdatedConsumer>(CatalogEventsEndpoint);
            // Product snapshots carry revisions, so they need no ordered queue: the newest wins.
            bus.AddConsumer<ProductPublishedConsumer>();
            bus.AddConsumer<ProductChangedConsumer>();
            bus.AddConsumer<ProductWithdrawnConsumer>();
        });
        builder.AddServiceAuthentication();
        return builder;
    }

    /// <summary>Every Orders endpoint lives under <c>/api/orders</c>, the prefix the Gateway routes here.</summary>
    public static IEndpointRouteBuilder MapOrdersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/orders");
        api.MapMerchantsApi();
        return app;
    }
}
