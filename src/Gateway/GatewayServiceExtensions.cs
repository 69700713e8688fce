using Marketplace.Gateway.Accounts;
using Marketplace.Gateway.Cooperatives;
using Marketplace.Gateway.Data;
using Marketplace.Gateway.DeadLetters;
using Marketplace.Gateway.ExchangeRates;
using Marketplace.Gateway.Health;
using Marketplace.Gateway.Invitations;
using Marketplace.Gateway.Proxy;
using Marketplace.Gateway.Security;
using Marketplace.Gateway.Telemetry;
using Marketplace.Gateway.Tokens;
using Marketplace.ServiceDefaults.Audit;
using Marketplace.ServiceDefaults;
using Marketplace.ServiceDefaults.Identity;
using Marketplace.ServiceDefaults.Messaging;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using System.Text.Json;
using System.Text.Json.Serialization;
using Yarp.ReverseProxy.Transforms;

namespace Marketplace.Gateway;

public static class GatewayServiceExtensions
{
    /// <summary>The ordered queue on which the Gateway keeps its copy of Catalog's cooperatives.</summary>
    public const string CatalogEventsEndpoint = "gateway-catalog-cooperatives";

    /// <summary>
    /// The Gateway's database, messaging, accounts and tokens, limits and headers, the internal token issuer and
    /// the reverse proxy.
    /// </summary>
    public static IHostApplicationBuilder AddGateway(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDbContext<GatewayDbContext>("gatewaydb", GatewayDbContext.Schema);
        builder.AddMessaging<GatewayDbContext>(bus =>
        {
            bus.AddOrderedConsumer<CooperativeRegisteredConsumer>(CatalogEventsEndpoint);
            bus.AddOrderedConsumer<CooperativeUpdatedConsumer>(CatalogEventsEndpoint);
        });

        // Every replica must read the others' cookies, antiforgery tokens and reset links: the keys live in the database.
        builder.Services.AddDataProtection()
            .SetApplicationName("marketplace-gateway")
            .PersistKeysToDbContext<GatewayDbContext>();

        builder.AddAccounts();
        builder.AddDeadLetters();
        builder.Services.AddAuditTrail(behindGateway: false);
        builder.Services.ConfigureHttpJsonOptions(options =>
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)));
        builder.Services.AddGatewayRateLimits(builder.Configuration);
        builder.Services.AddTrustedForwardedHeaders(builder.Configuration);
        builder.Services.AddOptions<SecurityHeaderOptions>().BindConfiguration(SecurityHeaderOptions.SectionName);
        builder.Services.AddCors(options => options.AddDefaultPolicy(policy =>
        {
            // Closed unless origins are named: the marketplace's pages are served from the Gateway's own origin.
            var origins = builder.Configuration.GetSection("Gateway:CorsOrigins").Get<string[]>() ?? [];
            if (origins.Length > 0)
            {
                policy.WithOrigins(origins).AllowAnyHeader().AllowAnyMethod().AllowCredentials();
            }
        }));
        builder.Services.Configure<KestrelServerOptions>(options =>
        {
            options.Limits.MaxRequestBodySize = builder.Configuration.GetValue("Gateway:MaxRequestBodyBytes", 1L * 1024 * 1024);
            options.Limits.MaxRequestLineSize = RequestBodyLimits.MaxRequestLineBytes;
        });

        builder.Services.AddSingleton(sp => InternalTokenKeys.CreateIssuer(builder.Configuration, builder.Environment));
        builder.Services.AddReverseProxy()
            .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
            .AddServiceDiscoveryDestinationResolver()
            .AddTransforms(context => context.AddRequestTransform(ForwardedIdentity.ApplyAsync));

        builder.Services.AddHealthChecks()
            .AddCheck<RoutedServicesHealthCheck>("routed-services", tags: [Extensions.ReadyTag]);
        return builder;
    }

    /// <summary>The Gateway's middleware and own endpoints, then everything else to the services it routes to.</summary>
    public static WebApplication MapGateway(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseWebhookFailureCounting();
        app.UseSecurityHeaders();
        app.UseUrlLengthLimit(app.Configuration.GetValue("Gateway:MaxUrlLength", 8192));
        app.UseControlCharacterRefusal();
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }

        app.UseCors();
        app.UseAuthentication();
        app.UseRejectedBearerTokens();
        app.UseGatewayRateLimits();
        app.UseAuthorization();
        app.UseCookieAntiforgery();

        app.MapGet("/internal/jwks", (ServiceTokenIssuer issuer) => Results.Text(issuer.PublicJwks, "application/json"))
            .WithName("ServiceTokenKeys")
            .WithSummary("The public keys services use to validate the tokens the Gateway forwards.");
        app.MapAccountsApi();
        app.MapInvitationsApi();
        app.MapDeadLettersApi();
        app.MapExchangeRatesApi();
        app.MapAuditTrail<GatewayDbContext>("/api/account/audit", GatewayDbContext.Schema);
        app.MapAccountForms();
        app.MapTokenEndpoint();
        app.MapReverseProxy(proxy =>
        {
            proxy.UseRequestBodyLimits();
            proxy.UseSessionAffinity();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
        });
        return app;
    }
}
