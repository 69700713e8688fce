using Marketplace.Catalog.Cooperatives;
using Marketplace.Catalog.Counter;
using Marketplace.Catalog.Data;
using Marketplace.Catalog.Deliveries;
using Marketplace.Catalog.Images;
using Marketplace.Catalog.Labels;
using Marketplace.Catalog.Members;
using Marketplace.Catalog.Permits;
using Marketplace.Catalog.Products;
using Marketplace.Catalog.Reviews;
using Marketplace.Catalog.Search;
using Marketplace.Catalog.Stock;
using Marketplace.ServiceDefaults.Audit;
using Marketplace.ServiceDefaults.Identity;
using Marketplace.ServiceDefaults.Messaging;

using System.Text.Json;
using System.Text.Json.Serialization;

namespace Marketplace.Catalog;

public static class CatalogServiceExtensions
{
    /// <summary>Catalog's database, messaging, authentication, image processing, stock upkeep and permit reminders.</summary>
    public static IHostApplicationBuilder AddCatalog(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDbContext<CatalogDbContext>("catalogdb", CatalogDbContext.Schema);
        builder.AddMessaging<CatalogDbContext>(bus =>
        {
            bus.AddConsumer<MemberJoinedConsumer>();
            bus.AddConsumer<ReserveStockConsumer>();
            bus.AddConsumer<ConfirmStockReservationConsumer>();
            bus.AddConsumer<ReleaseStockReservationConsumer>();
            bus.AddConsumer<RestockCancelledOrderConsumer>();
            bus.AddConsumer<TakeCounterStockConsumer>();
            bus.AddConsumer<ReturnCounterStockConsumer>();
            bus.AddConsumer<Reviews.ReviewInvitationsConsumer>();
            bus.AddConsumer<Reviews.ReviewerSignedInConsumer>();
        });
        builder.AddServiceAuthentication();
        // Statuses leave as camelCase names ("published"), the casing every service answers in.
        builder.Services.ConfigureHttpJsonOptions(options =>
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)));

        var services = builder.Services;
        services.AddAuditTrail();
        services.AddScoped<ProductEvents>();
        services.AddScoped<StockLedger>();
        services.AddScoped<StockBook>();
        services.AddScoped<IImageStore, PostgresImageStore>();
        services.AddSingleton<ImagePipeline>();
        services.AddSingleton<ImageUploadSignal>();
        services.AddOptions<ImageProcessingOptions>().BindConfiguration("Images");
        services.AddHostedService<ImageProcessor>();
        services.AddOptions<ReservationExpiryOptions>().BindConfiguration("Stock:Expiry");
        services.AddOptions<ProductLinkOptions>().BindConfiguration("Storefront");
        services.AddOptions<SearchVocabularyOptions>().BindConfiguration("Search");
        services.AddSingleton<SearchVocabularyRefresher>();
        services.AddHostedService(sp => sp.GetRequiredService<SearchVocabularyRefresher>());
        services.AddHostedService<ReservationExpiry>();
        services.AddOptions<PermitReminderOptions>().BindConfiguration("Permits:Reminders");
        services.AddHostedService<PermitReminderSweep>();
        services.AddOptions<BatchExpiryOptions>().BindConfiguration("Stock:BatchExpiry");
        services.AddSingleton<BatchExpirySweep>();
        services.AddHostedService(sp => sp.GetRequiredService<BatchExpirySweep>());
        return builder;
    }

    /// <summary>Every Catalog endpoint lives under <c>/api/catalog</c>, the prefix the Gateway routes here.</summary>
    public static IEndpointRouteBuilder MapCatalogApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/catalog");
        api.MapCooperativesApi();
        api.MapMembersApi();
        api.MapProductSearchApi();
        api.MapProductsApi();
        api.MapImagesApi();
        api.MapLabelsApi();
        api.MapStockApi();
        api.MapDeliveriesApi();
        api.MapCounterCatalogueApi();
        api.MapReviewsApi();
        api.MapAuditTrail<CatalogDbContext>("/audit", CatalogDbContext.Schema);
        return app;
    }
}
