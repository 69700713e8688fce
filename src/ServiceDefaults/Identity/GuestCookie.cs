namespace Marketplace.ServiceDefaults.Identity;

/// <summary>
/// The cookie that keeps a guest's basket: Orders sets and reads it, Web passes it between the browser and Orders.
/// </summary>
public static class GuestCookie
{
    public const string Name = "marketplace.guest";
}
