using Microsoft.AspNetCore.HttpOverrides;

namespace Marketplace.Gateway.Security;

public static class ForwardedHeadersSetup
{
    /// <summary>
    /// Trusts X-Forwarded-For/Proto only from the load balancer in front (the networks in <c>Gateway:TrustedProxies</c>, e.g. the ingress controller's pod network), so the client address rate limits
    /// key on cannot be chosen by the client.
    /// </summary>
    public static IServiceCollection AddTrustedForwardedHeaders(this IServiceCollection services, IConfiguration configuration)
    {
        var trusted = configuration.GetSection("Gateway:TrustedProxies").Get<string[]>() ?? [];
        services.Configure<ForwardedHeadersOptions>(options =>
        {
            // With no trusted proxy named, forwarded headers are ignored altogether. (Empty known-proxy lists would
            // mean "trust anyone", letting a client pick the address its rate limits are counted under.)
            if (trusted.Length == 0)
            {
                options.ForwardedHeaders = ForwardedHeaders.None;
                return;
            }

            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.ForwardLimit = 1;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var network in trusted)
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        return services;
    }
}
