using Microsoft.AspNetCore.Http;

namespace Marketplace.ServiceDefaults.Identity;

/// <summary>The client of a request that reached a service through the Gateway.</summary>
public static class ForwardedClient
{
    /// <summary>
    /// The client's address as the Gateway saw it. Services are reached only through the Gateway, which sets
    /// X-Forwarded-For to the address it saw (trusting a load balancer's only from its own network), replacing whatever
    /// the client sent; the last entry is the Gateway's. Without the header, the connection's own address.
    /// </summary>
    public static string? Address(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var forwarded = http.Request.Headers["X-Forwarded-For"].ToString();
        var last = forwarded.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        var address = last is not null && System.Net.IPAddress.TryParse(last, out var parsed) ? parsed : http.Connection.RemoteIpAddress;
        return address?.ToString();
    }
}
