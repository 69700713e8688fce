using Marketplace.Orders.Baskets;
using Marketplace.Orders.Checkout;
using Marketplace.Orders.Counter;
using Marketplace.Orders.Disputes;
using Marketplace.Orders.Fulfilment;
using Marketplace.Orders.Invoices;
using Marketplace.Orders.Lifecycle;
using Marketplace.Orders.Merchants;
using Marketplace.Orders.Payments;
using Marketplace.Orders.Refunds;
using Marketplace.Orders.Sellables;
using Marketplace.Orders.Settlement;
using Marketplace.Orders.Tills;
using Marketplace.ServiceDefaults.Audit;
using Marketplace.ServiceDefaults.Data;
using Marketplace.ServiceDefaults.Identity;
using Marketplace.ServiceDefaults.Messaging;
using Microsoft.Extensions.Options;
using Stripe;

namespace Marketplace.Orders;

public static class OrdersServiceExtensions
{
    /// <summary>The ordered queue on which Orders keeps its copy of Catalog's cooperatives.</summary>
    public const string CatalogEventsEndpoint = "orders-catalog-cooperatives";

    /// <summary>Orders' database, messaging (with its consumers) and authentication.</summary>
    public static IHostApplicationBuilder AddOrders(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDbContext<OrdersDbContext>("ordersdb", OrdersDbContext.Schema);
        // Orders and its Settlement module each keep their trail in their own schema, written by the same service.
        builder.Services.AddAuditTrail();
        builder.AddMessaging<OrdersDbContext>(bus =>
        {
            // A cooperative's messages share one ordered queue: a rename must not overtake the registration.
            bus.AddOrderedConsumer<CooperativeRegisteredConsumer>(CatalogEventsEndpoint);
            bus.AddOrderedConsumer<CooperativeUpdatedConsumer>(CatalogEventsEndpoint);
            // Product snapshots carry revisions, so they need no ordered queue: the newest wins.
            bus.AddConsumer<ProductPublishedConsumer>();
            bus.AddConsumer<ProductChangedConsumer>();
            bus.AddConsumer<ProductWithdrawnConsumer>();
            // Members' holidays carry Catalog's revision too: the newest wins in any order.
            bus.AddConsumer<MemberHolidayConsumer>();
            bus.AddConsumer<StockReservedConsumer>();
            bus.AddConsumer<StockReservationRefusedConsumer>();
            bus.AddConsumer<StockReservationExpiredConsumer>();
            bus.AddConsumer<StockConfirmationFailedConsumer>();
            bus.AddConsumer<StockReservationConfirmedConsumer>();
            bus.AddConsumer<CompleteRefundConsumer>();
            bus.AddConsumer<ShopperSignedInConsumer>();
            // One bus per service: the Settlement module hosted here consumes on it (its database is AddSettlement's).
            bus.AddSettlementConsumers();
        });
        builder.Services.ConfigureHttpJsonOptions(options =>
            options.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase)));
        builder.Services.AddOptions<StripeOptions>().BindConfiguration(StripeOptions.SectionName);
        builder.Services.AddOptions<GuestBasketOptions>().BindConfiguration(GuestBasketOptions.SectionName);
        builder.Services.AddSingleton<IStripeClient>(sp =>
        {
            var stripe = sp.GetRequiredService<IOptions<StripeOptions>>().Value;
            return new StripeClient(new StripeClientOptions { ApiKey = stripe.SecretKey, ApiBase = stripe.ApiBase });
        });
        builder.Services.AddScoped<StripePayments>();
        builder.Services.AddScoped<Merchants.StripeOnboarding>();
        builder.Services.AddScoped<Disputes.StripeDisputes>();
        builder.Services.AddScoped<StripePayouts.StripePayoutsReceiver>();
        builder.Services.AddScoped<OrderLifecycle>();
        builder.Services.AddSingleton<StripeChecksInFlight>();
        builder.Services.AddScoped<CounterSales>();
        // Spacing of the return page's payment checks (FulfilmentApi); bounded so a flood of order ids cannot grow it.
        builder.Services.AddMemoryCache(cache => cache.SizeLimit = 100_000);
        builder.Services.AddHostedService<UnpaidOrderExpiry>();
        builder.Services.AddHostedService<Baskets.GuestBasketSweep>();
        builder.Services.AddHostedService<AwaitingPaymentSweep>();
        builder.Services.AddPostgresNotifications<OrdersDbContext, OrderChangeWaiters>();
        if (builder.Configuration.GetValue("Seed:Demo", false))
        {
            builder.Services.AddHostedService<Seed.DemoMerchantSetup>();
        }
        builder.AddServiceAuthentication();
        return builder;
    }

    /// <summary>Every Orders endpoint lives under <c>/api/orders</c>, the prefix the Gateway routes here.</summary>
    public static IEndpointRouteBuilder MapOrdersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/orders");
        api.MapMerchantsApi();
        api.MapBasketsApi();
        api.MapCheckoutApi();
        api.MapOrderReadsApi();
        api.MapKioskApi();
        api.MapHeldStockApi();
        api.MapRefundsApi();
        api.MapDisputesApi();
        api.MapFulfilmentApi();
        api.MapCounterApi();
        api.MapTillsApi();
        api.MapReceiptsApi();
        api.MapInvoicesApi();
        api.MapAuditTrail<OrdersDbContext>("/audit", OrdersDbContext.Schema);
        app.MapStripeWebhook();
        return app;
    }
}
