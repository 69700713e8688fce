using Marketplace.Gateway.Data;
using Marketplace.Gateway.Health;
using Marketplace.Gateway.Proxy;
using Marketplace.ServiceDefaults;
using Marketplace.ServiceDefaults.Identity;
using Marketplace.ServiceDefaults.Messaging;
using Yarp.ReverseProxy.Transforms;

namespace Marketplace.Gateway;

public static class GatewayServiceExtensions
{
    /// <summary>The Gateway's database, messaging, the internal token issuer and the reverse proxy.</summary>
    public static IHostApplicationBuilder AddGateway(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDbContext<GatewayDbContext>("gatewaydb", GatewayDbContext.Schema);
        builder.AddMessaging<GatewayDbContext>();

        builder.Services.AddSingleton(sp => InternalTokenKeys.CreateIssuer(builder.Configuration, builder.Environment));
        builder.Services.AddReverseProxy()
            .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
            .AddServiceDiscoveryDestinationResolver()
            .AddTransforms(context => context.AddRequestTransform(ForwardedIdentity.ApplyAsync));

        builder.Services.AddHealthChecks()
            .AddCheck<RoutedServicesHealthCheck>("routed-services", tags: [Extensions.ReadyTag]);
        return builder;
    }

    /// <summary>The Gateway's own endpoints, then everything else to the services it routes to.</summary>
    public static WebApplication MapGateway(this WebApplication app)
    {
        app.MapGet("/internal/jwks", (ServiceTokenIssuer issuer) => Results.Text(issuer.PublicJwks, "application/json"))
            .WithName("ServiceTokenKeys")
            .WithSummary("The public keys services use to validate the tokens the Gateway forwards.");
        app.MapReverseProxy();
        return app;
    }
}
