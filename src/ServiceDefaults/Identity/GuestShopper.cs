namespace Marketplace.ServiceDefaults.Identity;

/// <summary>
/// A shopper without an account is known by this cookie, which Orders sets on her first basket change (HttpOnly,
/// SameSite=Lax): the Gateway reads it at sign-in, Web passes it along with her requests.
/// </summary>
public static class GuestShopper
{
    public const string CookieName = "marketplace.guest";
}
