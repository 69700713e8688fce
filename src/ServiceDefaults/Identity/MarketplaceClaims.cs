using System.Security.Claims;

namespace Marketplace.ServiceDefaults.Identity;

/// <summary>The claims of the token the Gateway forwards to every service.</summary>
public static class MarketplaceClaims
{
    public const string UserId = "sub";
    public const string Role = "role";
    public const string CooperativeId = "coop";
    public const string MemberId = "member";

    /// <summary>The account's display name, for the papers that name a person (a delivery's receipt).</summary>
    public const string DisplayName = "name";
}

public static class MarketplaceRoles
{
    public const string Shopper = "shopper";
    public const string Member = "member";
    public const string CooperativeAdmin = "cooperative-admin";
    public const string PlatformAdmin = "platform-admin";

    /// <summary>A kiosk clerk (kasir): sells at the counter and keeps the till of her one cooperative, nothing else.</summary>
    public const string KioskClerk = "kiosk-clerk";
}

public static class MarketplacePolicies
{
    public const string Member = "member";
    public const string CooperativeAdmin = "cooperative-admin";
    public const string PlatformAdmin = "platform-admin";

    /// <summary>Clerks, cooperative admins and the platform admin: who may sell at a kiosk.</summary>
    public const string KioskClerk = "kiosk-clerk";
}

/// <summary>Reads who is calling from the validated token.</summary>
public static class ClaimsPrincipalExtensions
{
    public static Guid? UserId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(MarketplaceClaims.UserId), out var id) ? id : null;

    public static Guid? MemberId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(MarketplaceClaims.MemberId), out var id) ? id : null;

    public static string? DisplayName(this ClaimsPrincipal user) => user.FindFirstValue(MarketplaceClaims.DisplayName);

    /// <summary>The cooperatives this user acts for: as their admin, or as one of their members.</summary>
    public static IReadOnlySet<Guid> CooperativeIds(this ClaimsPrincipal user) =>
        user.FindAll(MarketplaceClaims.CooperativeId)
            .Select(c => Guid.TryParse(c.Value, out var id) ? id : Guid.Empty)
            .Where(id => id != Guid.Empty)
            .ToHashSet();

    public static bool IsAdminOf(this ClaimsPrincipal user, Guid cooperativeId) =>
        user.IsInRole(MarketplaceRoles.PlatformAdmin)
        || (user.IsInRole(MarketplaceRoles.CooperativeAdmin) && user.CooperativeIds().Contains(cooperativeId));

    /// <summary>Who may sell at this cooperative's kiosk and keep its till: its clerks, and its admins.</summary>
    public static bool IsClerkOf(this ClaimsPrincipal user, Guid cooperativeId) =>
        user.IsAdminOf(cooperativeId)
        || (user.IsInRole(MarketplaceRoles.KioskClerk) && user.CooperativeIds().Contains(cooperativeId));
}
