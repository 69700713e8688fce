using Marketplace.Gateway.Accounts;
using Microsoft.AspNetCore.Identity;
using OpenIddict.Abstractions;

namespace Marketplace.Gateway.Tokens;

/// <summary>"Sign out everywhere": browser sessions die at their next revalidation, tokens at once.</summary>
public sealed class TokenRevocation(UserManager<MarketplaceUser> users, IOpenIddictTokenManager tokens)
{
    public async Task EndEverySessionAsync(MarketplaceUser user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        // A new security stamp invalidates every cookie (checked every SessionRevalidationInterval) and every
        // refresh token (checked when it is used); revoking the token entries stops access tokens immediately.
        await users.UpdateSecurityStampAsync(user);
        await tokens.RevokeBySubjectAsync(user.Id.ToString(), cancellationToken);
    }
}
