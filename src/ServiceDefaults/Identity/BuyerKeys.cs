using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Marketplace.ServiceDefaults.Identity;

/// <summary>
/// Who bought an order, as another service may keep it: a SHA-256 of the order's owner (<c>user:{id}</c> for an account,
/// <c>guest:{id}</c> for the guest cookie). The guest cookie is a bearer secret; its hash proves nothing to a reader of
/// the table, while a request carrying the cookie (or the account's token) gives the same hash again.
/// </summary>
public static class BuyerKeys
{
    public static string Of(string owner) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(owner)));

    /// <summary>Every key the caller can prove: her account, and the guest cookie her browser still holds (orders placed before she signed in).</summary>
    public static IReadOnlyList<string> OfCaller(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var keys = new List<string>(2);
        if (http.User.UserId() is { } user)
        {
            keys.Add(Of($"user:{user}"));
        }

        if (Guid.TryParse(http.Request.Cookies[GuestCookie.Name], out var guest))
        {
            keys.Add(Of($"guest:{guest}"));
        }

        return keys;
    }
}
