using System.Security.Claims;
using Marketplace.Gateway.Accounts;
using Marketplace.Gateway.Security;
using Marketplace.ServiceDefaults.Identity;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Marketplace.Gateway.Tokens;

/// <summary>
/// OAuth 2.0 token endpoint for API clients (the marketplace's own apps): the password grant with email or phone,
/// and refresh tokens. OpenIddict parses, validates and issues; this only decides who the caller is.
/// </summary>
public static class TokenEndpoint
{
    public const string Path = "/connect/token";
    public const string RevocationPath = "/connect/revoke";

    public static IEndpointRouteBuilder MapTokenEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapPost(Path, ExchangeAsync)
            .RequireAccountRateLimit()
            .DisableAntiforgery()
            .ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> ExchangeAsync(
        HttpContext http,
        UserManager<MarketplaceUser> users,
        SignInManager<MarketplaceUser> signIn,
        AccountAttemptLimiter attempts,
        CancellationToken cancellationToken)
    {
        var request = http.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenIddict request cannot be retrieved.");

        MarketplaceUser? user;
        if (request.IsPasswordGrantType())
        {
            if (attempts.Refuse(http, request.Username) is { } refused)
            {
                return refused;
            }

            user = await SignInName.FindAsync(users, request.Username, cancellationToken);
            if (user is null)
            {
                SignInName.SpendAsLongAsAPasswordCheck(users, request.Password);
                attempts.Failed(http, request.Username);
                return Refuse("The email or phone number and password do not match an account.");
            }

            // As for the sign-in form: wrong passwords are limited per login and client, never locking the account.
            var check = await signIn.CheckPasswordSignInAsync(user, request.Password ?? string.Empty, lockoutOnFailure: false);
            if (!check.Succeeded)
            {
                attempts.Failed(http, request.Username);
                return Refuse("The email or phone number and password do not match an account.");
            }
        }
        else if (request.IsRefreshTokenGrantType())
        {
            var stored = await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            user = stored.Principal is { } principal ? await users.FindByIdAsync(principal.GetClaim(Claims.Subject) ?? string.Empty) : null;
            // A refresh token outlives a password change or "sign out everywhere" only if the stamp still matches.
            if (user is null || stored.Principal!.GetClaim(SecurityStampClaim) != user.SecurityStamp || !await signIn.CanSignInAsync(user))
            {
                return Refuse("This refresh token is no longer valid; sign in again.");
            }
        }
        else
        {
            return Results.Forbid(
                Error(Errors.UnsupportedGrantType, "Only the password and refresh_token grants are supported."),
                [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        }

        var identity = (ClaimsIdentity)(await signIn.CreateUserPrincipalAsync(user)).Identity!;
        var tokenIdentity = new ClaimsIdentity(
            identity.Claims.Where(c => ForwardedClaims.Contains(c.Type)),
            OpenIddictServerAspNetCoreDefaults.AuthenticationScheme,
            Claims.Name,
            Claims.Role);
        tokenIdentity.SetClaim(SecurityStampClaim, user.SecurityStamp);
        tokenIdentity.SetScopes(request.GetScopes().Intersect([Scopes.OfflineAccess]));
        // Everything but the security stamp goes into the access token; the stamp stays in the refresh token.
        tokenIdentity.SetDestinations(claim => claim.Type == SecurityStampClaim ? [] : [Destinations.AccessToken]);
        return Results.SignIn(new ClaimsPrincipal(tokenIdentity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private const string SecurityStampClaim = "stamp";

    private static readonly HashSet<string> ForwardedClaims =
    [
        MarketplaceClaims.UserId, MarketplaceClaims.Role, MarketplaceClaims.CooperativeId, MarketplaceClaims.MemberId, MarketplaceClaimsFactory.DisplayNameClaim,
    ];

    private static IResult Refuse(string description) =>
        Results.Forbid(Error(Errors.InvalidGrant, description), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);

    private static AuthenticationProperties Error(string error, string description) => new(new Dictionary<string, string?>
    {
        [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
        [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
    });
}
