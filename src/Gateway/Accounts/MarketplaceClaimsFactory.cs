using System.Security.Claims;
using Marketplace.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Marketplace.Gateway.Accounts;

/// <summary>
/// The claims a signed-in account carries, the same for the browser cookie and for access tokens: user id,
/// roles, the cooperatives it administers or belongs to, and its member id.
/// </summary>
public sealed class MarketplaceClaimsFactory(
    UserManager<MarketplaceUser> users,
    RoleManager<IdentityRole<Guid>> roles,
    IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<MarketplaceUser, IdentityRole<Guid>>(users, roles, options)
{
    public const string DisplayNameClaim = MarketplaceClaims.DisplayName;

    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(MarketplaceUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(DisplayNameClaim, user.DisplayName));
        if (user.MemberId is { } memberId && user.MemberCooperativeId is { } cooperativeId)
        {
            identity.AddClaim(new Claim(MarketplaceClaims.MemberId, memberId.ToString()));
            if (!identity.HasClaim(MarketplaceClaims.CooperativeId, cooperativeId.ToString()))
            {
                identity.AddClaim(new Claim(MarketplaceClaims.CooperativeId, cooperativeId.ToString()));
            }
        }

        return identity;
    }
}
