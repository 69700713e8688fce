using System.Net.Http.Headers;
using Marketplace.ServiceDefaults.Identity;
using Microsoft.Net.Http.Headers;

namespace Marketplace.Web.Api;

/// <summary>Whom a client talks to, which decides what of the browser's request it carries.</summary>
public enum RelayTarget
{
    /// <summary>Catalog and Orders: the Gateway's token for the signed-in user, and the guest basket's cookie.</summary>
    Service,

    /// <summary>
    /// The Gateway's account API: the browser's session and antiforgery cookies (it knows the browser by its
    /// session, and would refuse a token it did not issue to a client), and where the browser's request came from.
    /// </summary>
    Gateway,
}

/// <summary>
/// Web calls the services on behalf of the browser whose page it is rendering. Cookies they set come back to
/// the browser, and count for the rest of this page's calls too.
/// </summary>
public sealed class ApiRelay(IHttpContextAccessor accessor, RelayTarget target, PageReadOptions reads) : DelegatingHandler
{
    private const string JarKey = "marketplace.api-cookie-jar";

    private const string DeadlineKey = "marketplace.api-read-deadline";

    private CancellationTokenSource? ReadBudget(HttpContext http, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method != HttpMethod.Get && request.Method != HttpMethod.Head)
        {
            return null;
        }

        if (http.Items[DeadlineKey] is not DateTimeOffset deadline)
        {
            deadline = DateTimeOffset.UtcNow + reads.Budget;
            http.Items[DeadlineKey] = deadline;
        }

        var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(TimeSpan.FromTicks(Math.Max(1, (deadline - DateTimeOffset.UtcNow).Ticks)));
        return budget;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var http = accessor.HttpContext;
        if (http is null)
        {
            return await base.SendAsync(request, cancellationToken);
        }

        if (target == RelayTarget.Service && AuthenticationHeaderValue.TryParse(http.Request.Headers.Authorization, out var bearer) && bearer.Scheme == "Bearer")
        {
            request.Headers.Authorization = bearer;
        }

        if (target == RelayTarget.Gateway)
        {
            // The Gateway believes this from its own network only: its antiforgery cookie requires https.
            request.Headers.Add("X-Forwarded-Proto", http.Request.Scheme);
        }

        // The shopper's address, in the form the Gateway writes it: the Gateway's limits, Orders' caps on open kiosk
        // orders per address and every audit entry count her, not Web (which would make all storefront shoppers one
        // client). Web is reached only through the Gateway, whose proxy replaces whatever X-Forwarded-For the browser
        // sent with the address it saw; its last entry is that address. Catalog and Orders accept calls from the
        // Gateway and Web only (network policy), so nobody else can set it for them.
        if (http.Request.Headers["X-Forwarded-For"].ToString() is { Length: > 0 } client
            && client.Split(',')[^1].Trim() is { Length: > 0 } shopper
            && System.Net.IPAddress.TryParse(shopper, out _))
        {
            request.Headers.Remove("X-Forwarded-For");
            request.Headers.Add("X-Forwarded-For", shopper);
        }

        var cookies = Jar(http).Where(c => Sends(c.Key)).ToList();
        if (cookies.Count > 0)
        {
            request.Headers.Remove("Cookie");
            request.Headers.Add("Cookie", string.Join("; ", cookies.Select(c => $"{c.Key}={c.Value}")));
        }

        using var budget = ReadBudget(http, request, cancellationToken);
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, budget?.Token ?? cancellationToken);
        }
        catch (OperationCanceledException e) when (budget is { IsCancellationRequested: true } && !cancellationToken.IsCancellationRequested)
        {
            // Not a cancellation the page asked for: the service did not answer in time. Said as a failure to reach it,
            // because a page whose OnInitializedAsync ends cancelled is rendered as if nothing were wrong (Blazor ignores
            // a cancelled task), an empty storefront with 200 instead of the error page.
            throw new HttpRequestException($"{request.RequestUri} did not answer within the page's read budget of {reads.Budget.TotalMilliseconds} ms.", e);
        }

        if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
        {
            foreach (var header in setCookies)
            {
                if (!SetCookieHeaderValue.TryParse(header, out var cookie) || !Sends(cookie.Name.Value))
                {
                    continue;
                }

                var jar = Jar(http);
                if (cookie.Expires is { } expires && expires < DateTimeOffset.UtcNow)
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

    /// <summary>Only the cookies this target knows the browser by; Web's own cookies never leave it.</summary>
    private bool Sends(string? name) => name is not null && (target == RelayTarget.Service
        ? name == GuestCookie.Name
        : name.StartsWith("marketplace.", StringComparison.Ordinal) || name.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal));

    private static Dictionary<string, string> Jar(HttpContext http)
    {
        if (http.Items[JarKey] is Dictionary<string, string> jar)
        {
            return jar;
        }

        jar = http.Request.Cookies.ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);
        http.Items[JarKey] = jar;
        return jar;
    }
}

/// <summary>How long a page's reads of the services may take (configuration section <c>Storefront:Reads</c>).</summary>
public sealed class PageReadOptions
{
    public const string SectionName = "Storefront:Reads";

    /// <summary>
    /// How long all the reads of one page may take together, retries included, counted from its first read. A page
    /// whose service cannot answer shows the error page within this (and so within 2 s, rendering included), rather
    /// than waiting out every read's own time-outs in turn. Writes are not cut short: one that is cut off may have
    /// happened all the same.
    /// </summary>
    public static readonly TimeSpan DefaultBudget = TimeSpan.FromMilliseconds(1700);

    /// <summary>
    /// How long one try of a read may take: shorter than the budget, so a read stuck on a hung service is tried once
    /// more (on another replica, perhaps) before the page gives up. A healthy read takes a few tens of milliseconds.
    /// </summary>
    public static readonly TimeSpan DefaultAttemptTimeout = TimeSpan.FromSeconds(1);

    /// <summary>Tests that share a loaded machine allow more, as they do for Catalog's search statements.</summary>
    public TimeSpan Budget { get; set; } = DefaultBudget;

    public TimeSpan AttemptTimeout { get; set; } = DefaultAttemptTimeout;
}
