using Marketplace.Gateway.Accounts;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;

namespace Marketplace.Gateway.Security;

/// <summary>
/// A browser sends its cookie with any request, including one a hostile page makes it send. So a state-changing
/// API request authenticated by the cookie must also carry the antiforgery token (header <c>X-XSRF-TOKEN</c>),
/// which another site cannot read. Bearer-token clients are not exposed to this and need no token. Web's own
/// form posts are checked by Web itself.
/// </summary>
/// <summary>
/// Marks the endpoints that establish who the caller is (sign-in, registration, password reset): they act on no
/// existing session, so there is nothing to forge, and a browser that is already signed in may still use them.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class EstablishesIdentityAttribute : Attribute;

public static class CookieAntiforgery
{
    public static IApplicationBuilder UseCookieAntiforgery(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (NeedsToken(http))
        {
            var antiforgery = http.RequestServices.GetRequiredService<IAntiforgery>();
            if (!await antiforgery.IsRequestValidAsync(http))
            {
                await TypedResults.Problem(
                    $"State-changing requests from a browser need the token from GET /api/account/antiforgery in the {AccountsApi.AntiforgeryHeader} header.",
                    statusCode: StatusCodes.Status400BadRequest,
                    title: "Missing or invalid antiforgery token",
                    extensions: new Dictionary<string, object?> { ["code"] = "antiforgery" }).ExecuteAsync(http);
                return;
            }
        }

        await next(http);
    });

    private static bool NeedsToken(HttpContext http)
    {
        var request = http.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method) || HttpMethods.IsTrace(request.Method))
        {
            return false;
        }

        if (!request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return http.User.Identity?.AuthenticationType == IdentityConstants.ApplicationScheme
            && http.GetEndpoint()?.Metadata.GetMetadata<EstablishesIdentityAttribute>() is null;
    }
}
