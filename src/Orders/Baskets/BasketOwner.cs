using Marketplace.ServiceDefaults.Identity;

namespace Marketplace.Orders.Baskets;

/// <summary>
/// Who a basket belongs to: the signed-in user, or a guest known by an Orders cookie (HttpOnly, SameSite=Lax) that
/// the first basket change sets. Checking out never requires an account.
/// </summary>
public static class BasketOwner
{
    public static string? User(HttpContext http) => http.User.UserId() is { } id ? UserOf(id) : null;

    public static string? Guest(HttpContext http) =>
        Guid.TryParse(http.Request.Cookies[GuestCookie.Name], out var id) ? GuestOf(id) : null;

    public static string UserOf(Guid userId) => $"user:{userId}";

    public static string GuestOf(Guid guestId) => $"guest:{guestId}";

    /// <summary>The owner to read by; null when nobody is known yet.</summary>
    public static string? Current(HttpContext http) => User(http) ?? Guest(http);

    /// <summary>
    /// A guest's cookie lives this long after her last change to a basket, and her baskets as long
    /// (<see cref="GuestBasketSweep"/>): then both are gone together.
    /// </summary>
    public static readonly TimeSpan GuestLifetime = TimeSpan.FromDays(30);

    /// <summary>The owner to write as, starting a guest identity if there is none; a guest's cookie is renewed with each change.</summary>
    public static string CurrentOrNewGuest(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (User(http) is { } user)
        {
            return user;
        }

        var id = Guid.TryParse(http.Request.Cookies[GuestCookie.Name], out var known) ? known : Guid.NewGuid();
        http.Response.Cookies.Append(GuestCookie.Name, id.ToString(), new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Secure = http.Request.IsHttps,
            MaxAge = GuestLifetime,
            Path = "/",
        });
        return GuestOf(id);
    }
}
