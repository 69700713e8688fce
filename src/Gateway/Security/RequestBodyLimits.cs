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

    /// <summary>
    /// An address longer than <c>Gateway:MaxUrlLength</c> characters (path and query; 8192 by default, as long as the
    /// services' servers read) is answered 414 with a problem body. The Gateway's own server reads longer request
    /// lines (<see cref="MaxRequestLineBytes"/>) only so that such a request reaches this answer instead of an
    /// empty 414 from the server.
    /// </summary>
    public static IApplicationBuilder UseUrlLengthLimit(this IApplicationBuilder app, int maxLength) => app.Use(async (http, next) =>
    {
        var length = http.Request.Path.Value?.Length + http.Request.QueryString.Value?.Length ?? 0;
        if (length > maxLength)
        {
            await TypedResults.Problem(
                $"The address is {length} characters long; at most {maxLength} are accepted. A search needs far fewer words.",
                statusCode: StatusCodes.Status414UriTooLong,
                title: "Address too long",
                extensions: new Dictionary<string, object?> { ["code"] = "url_too_long", ["limitCharacters"] = maxLength }).ExecuteAsync(http);
            return;
        }

        await next(http);
    });

    /// <summary>The longest request line the Gateway's server reads (the default is 8 KiB).</summary>
    public const int MaxRequestLineBytes = 256 * 1024;
}
