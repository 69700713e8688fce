using System.Net.Http.Headers;
using Microsoft.Net.Http.Headers;

namespace Marketplace.Web.Api;

/// <summary>
/// Web calls the services on behalf of the browser whose page it is rendering: it passes on the Gateway's token
/// for the signed-in user, and the cookies the services and the Gateway know the browser by (the guest basket,
/// the session and its antiforgery pair). Cookies they set come back to the browser, and count for the rest of
/// this page's calls too. The Gateway itself gets the cookies but not the token: it knows the browser by its
/// session and would refuse a token it did not issue to a client.
/// </summary>
public sealed class ApiRelay(IHttpContextAccessor accessor, bool passToken) : DelegatingHandler
{
    /// <summary>The cookies a service may read or set; Web's own cookies are never passed on.</summary>
    private static readonly string[] RelayedCookiePrefixes = ["marketplace.", ".AspNetCore.Antiforgery."];

    private const string JarKey = "marketplace.api-cookie-jar";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var http = accessor.HttpContext;
        if (http is null)
        {
            return await base.SendAsync(request, cancellationToken);
        }

        if (passToken && AuthenticationHeaderValue.TryParse(http.Request.Headers.Authorization, out var bearer) && bearer.Scheme == "Bearer")
        {
            request.Headers.Authorization = bearer;
        }

        var jar = Jar(http);
        if (jar.Count > 0)
        {
            request.Headers.Remove("Cookie");
            request.Headers.Add("Cookie", string.Join("; ", jar.Select(c => $"{c.Key}={c.Value}")));
        }

        var response = await base.SendAsync(request, cancellationToken);
        if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
        {
            foreach (var header in setCookies)
            {
                if (!SetCookieHeaderValue.TryParse(header, out var cookie) || !IsRelayed(cookie.Name.Value))
                {
                    continue;
                }

                var expired = cookie.Expires is { } expires && expires < DateTimeOffset.UtcNow;
                if (expired)
                {
                    jar.Remove(cookie.Name.Value!);
                }
                else
                {
                    jar[cookie.Name.Value!] = cookie.Value.Value ?? string.Empty;
                }

                if (!http.Response.HasStarted)
                {
                    http.Response.Headers.Append(HeaderNames.SetCookie, header);
                }
            }
        }

        return response;
    }

    private static bool IsRelayed(string? name) =>
        name is not null && RelayedCookiePrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal));

    private static Dictionary<string, string> Jar(HttpContext http)
    {
        if (http.Items[JarKey] is Dictionary<string, string> jar)
        {
            return jar;
        }

        jar = http.Request.Cookies.Where(c => IsRelayed(c.Key)).ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);
        http.Items[JarKey] = jar;
        return jar;
    }
}
