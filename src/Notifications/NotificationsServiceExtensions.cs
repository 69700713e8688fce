using Marketplace.Notifications.Accounts;
using Marketplace.Notifications.Admins;
using Marketplace.Notifications.Cooperatives;
using Marketplace.Notifications.Deliveries;
using Marketplace.Notifications.Digests;
using Marketplace.Notifications.Email;
using Marketplace.Notifications.Members;
using Marketplace.Notifications.People;
using Marketplace.Notifications.Shoppers;
using Marketplace.Notifications.WhatsApp;
using Marketplace.ServiceDefaults.Data;
using Marketplace.ServiceDefaults.Identity;
using Marketplace.ServiceDefaults.Messaging;
using Microsoft.Extensions.Http.Resilience;

namespace Marketplace.Notifications;

public static class NotificationsServiceExtensions
{
    /// <summary>The ordered queue on which Notifications keeps its copy of Catalog's cooperatives.</summary>
    public const string CatalogEventsEndpoint = "notifications-catalog-cooperatives";

    /// <summary>Notifications' database, messaging (with its consumers), the WhatsApp client and the dispatcher.</summary>
    public static IHostApplicationBuilder AddNotifications(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDbContext<NotificationsDbContext>("notificationsdb", NotificationsDbContext.Schema);
        builder.AddMessaging<NotificationsDbContext>(bus =>
        {
            // A rename must not overtake the registration.
            bus.AddOrderedConsumer<CooperativeRegisteredConsumer>(CatalogEventsEndpoint);
            bus.AddOrderedConsumer<CooperativeUpdatedConsumer>(CatalogEventsEndpoint);
            bus.AddConsumer<AccountContactChangedConsumer>();
            bus.AddConsumer<OrderConfirmedConsumer>();
            bus.AddConsumer<OrderPaidConsumer>();
            bus.AddConsumer<OrderCancelledConsumer>();
            bus.AddConsumer<OrderRefundedConsumer>();
            bus.AddConsumer<OrderLinesFulfilledConsumer>();
            bus.AddConsumer<OrderLinesReviewableConsumer>();
            bus.AddConsumer<PasswordResetRequestedConsumer>();
            bus.AddConsumer<InvitationSentConsumer>();
            bus.AddConsumer<Counter.CounterSaleRecordedConsumer>();
            bus.AddConsumer<MemberLinesConsumer>();
            bus.AddConsumer<ProductApprovedConsumer>();
            bus.AddConsumer<ProductRejectedConsumer>();
            bus.AddConsumer<PayoutPaidConsumer>();
            bus.AddConsumer<PermitExpiringConsumer>();
            bus.AddConsumer<StockRunningLowConsumer>();
            bus.AddConsumer<AdminNewOrderConsumer>();
            bus.AddConsumer<PayoutAwaitingApprovalConsumer>();
            bus.AddConsumer<ProductsToReviewConsumer>();
            bus.AddConsumer<OrderReadyForPickupConsumer>();
            bus.AddConsumer<OrderShippedConsumer>();
        });
        builder.Services.ConfigureHttpJsonOptions(options =>
            options.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase)));
        builder.Services.AddOptions<NotificationsOptions>().BindConfiguration(NotificationsOptions.SectionName);
        builder.Services.AddOptions<WhatsAppOptions>().BindConfiguration(WhatsAppOptions.SectionName);
        builder.Services.AddOptions<EmailOptions>().BindConfiguration(EmailOptions.SectionName);
        builder.Services.AddSingleton<SmtpEmailSender>();
        // A send has no idempotency key: retried inside the client after a lost answer, it could reach her twice. The
        // shared handler's retries are taken off (its timeouts and circuit breaker stay); the dispatcher decides.
#pragma warning disable EXTEXP0001 // Evaluation API, and the one way to take a shared default handler off one client.
        builder.Services.AddHttpClient<WhatsAppCloudClient>()
            .RemoveAllResilienceHandlers()
            .AddStandardResilienceHandler(resilience => resilience.Retry.DisableForUnsafeHttpMethods());
#pragma warning restore EXTEXP0001
        builder.Services.AddSingleton<DeliverySignal>();
        builder.Services.AddScoped<OrderNews>();
        builder.Services.AddScoped<Recipients>();
        builder.Services.AddScoped<PeopleNews>();
        builder.Services.AddScoped<OpenDigests>();
        builder.Services.AddScoped<DigestSender>();
        builder.Services.AddPostgresNotifications<NotificationsDbContext, DueNotifications>();
        builder.Services.AddHostedService<DeliveryDispatcher>();
        builder.AddServiceAuthentication();
        return builder;
    }

    /// <summary>Every endpoint lives under <c>/api/notifications</c>, the prefix the Gateway routes here.</summary>
    public static IEndpointRouteBuilder MapNotificationsApi(this IEndpointRouteBuilder app)
    {
        app.MapWhatsAppWebhook();
        app.MapGroup("/api/notifications").MapDeliveryLogApi().MapPreferencesApi();
        return app;
    }
}
