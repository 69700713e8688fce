using System.Globalization;
using Marketplace.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Orders.Baskets;

/// <summary>Bound from <c>GuestBaskets</c>: how many guest baskets one client address may open in a window.</summary>
public sealed class GuestBasketOptions
{
    public const string SectionName = "GuestBaskets";

    /// <summary>Generous: a family or a tour bus behind one carrier address starts a few guests; a script is stopped.</summary>
    public int PermitLimit { get; set; } = 30;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(10);
}

/// <summary>
/// Anonymous writes are bounded where guest baskets are made, whoever relays them: a guest's cookie is any id the browser
/// sends (an invented one simply starts a new guest), and the storefront's own forms reach Orders through Web, never
/// past the Gateway's limits. So every guest basket opened is counted by the client address it came from (the Gateway's
/// or Web's X-Forwarded-For), in the database, so all replicas count together. Old cookies and known guests are not
/// affected: only opening a basket counts, not changing one.
/// </summary>
public static class GuestBasketLimit
{
    /// <summary>Null when this address may open another guest basket; otherwise the 429 to answer.</summary>
    public static async Task<ProblemHttpResult?> RefusalAsync(
        OrdersDbContext db, string? client, GuestBasketOptions limit, DateTimeOffset now, HttpContext http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(limit);
        ArgumentNullException.ThrowIfNull(http);
        if (client is null)
        {
            return null;
        }

        var since = now - limit.Window;
        var opened = db.Baskets.Where(b => b.ClientAddress == client && b.OpenedAt > since);
        if (await opened.CountAsync(cancellationToken) < limit.PermitLimit)
        {
            return null;
        }

        // The window slides: the next basket may be opened when the oldest one counted leaves it.
        var oldest = await opened.MinAsync(b => b.OpenedAt, cancellationToken) ?? now;
        var seconds = Math.Max(1, (int)Math.Ceiling((oldest + limit.Window - now).TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(
            $"Too many new baskets from here; try again in {seconds} seconds.",
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "Too many requests",
            extensions: new Dictionary<string, object?> { ["code"] = "rate_limited", ["retryAfterSeconds"] = seconds });
    }

    /// <summary>The address a guest basket is counted by.</summary>
    public static string? ClientOf(HttpContext http) => ForwardedClient.Address(http);
}
