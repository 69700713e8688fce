using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Model;

namespace Marketplace.Gateway.Security;

public static class RequestBodyLimits
{
    /// <summary>
    /// A request whose declared length is over its route's limit (YARP's <c>MaxRequestBodySize</c>, else the server's)
    /// is answered 413 before a byte goes to the service; a chunked one is cut off by the server at the same limit.
    /// </summary>
    public static void UseRequestBodyLimits(this IReverseProxyApplicationBuilder proxy) => proxy.Use(async (http, next) =>
    {
        var limit = http.Features.Get<IReverseProxyFeature>()?.Route.Config.MaxRequestBodySize is > 0 and var routeLimit
            ? routeLimit
            : http.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
        if (limit is { } max && http.Request.ContentLength > max)
        {
            await TypedResults.Problem(
                $"The request body is {http.Request.ContentLength} bytes; at most {max} are accepted here.",
                statusCode: StatusCodes.Status413PayloadTooLarge,
                title: "Request too large",
                extensions: new Dictionary<string, object?> { ["code"] = "too_large", ["limitBytes"] = max }).ExecuteAsync(http);
            return;
        }

        await next(http);
    });
}
