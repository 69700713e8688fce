using System.Security.Claims;
using Marketplace.ServiceDefaults.Identity;

namespace Marketplace.Catalog.Common;

/// <summary>Object-level rules: who may see or change which member's and cooperative's things.</summary>
public static class CatalogAccess
{
    public static bool IsMember(this ClaimsPrincipal user, Guid memberId) =>
        user.IsInRole(MarketplaceRoles.Member) && user.MemberId() == memberId;

    /// <summary>The member herself, or an admin of her cooperative.</summary>
    public static bool CanManage(this ClaimsPrincipal user, Guid cooperativeId, Guid memberId) =>
        user.IsMember(memberId) || user.IsAdminOf(cooperativeId);
}
