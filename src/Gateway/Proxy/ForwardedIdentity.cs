using System.Security.Claims;
using Marketplace.ServiceDefaults.Identity;
using Yarp.ReverseProxy.Transforms;

namespace Marketplace.Gateway.Proxy;

/// <summary>
/// Services trust only the Gateway's own short-lived token: whatever identity a caller sent is removed,
/// and a signed-in user is forwarded as a freshly minted token.
/// </summary>
internal static class ForwardedIdentity
{
    private static readonly string[] StrippedHeaders = ["Authorization", "X-User-Id", "X-User-Roles", "X-Cooperative-Id", "X-Member-Id", "X-Forwarded-User"];

    public static ValueTask ApplyAsync(RequestTransformContext context)
    {
        foreach (var header in StrippedHeaders)
        {
            context.ProxyRequest.Headers.Remove(header);
        }

        var user = context.HttpContext.User;
        if (user.Identity?.IsAuthenticated == true && Guid.TryParse(user.FindFirstValue(MarketplaceClaims.UserId), out var userId))
        {
            var issuer = context.HttpContext.RequestServices.GetRequiredService<ServiceTokenIssuer>();
            var token = issuer.Mint(new ServiceCaller(
                userId,
                user.FindAll(MarketplaceClaims.Role).Select(c => c.Value).ToArray(),
                user.CooperativeIds().ToArray(),
                user.MemberId(),
                user.DisplayName()));
            context.ProxyRequest.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        return ValueTask.CompletedTask;
    }
}
