using System.Security.Claims;
using Marketplace.Contracts.Gateway;
using Marketplace.Gateway.Data;
using Marketplace.Gateway.Security;
using Marketplace.Gateway.Tokens;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Formatting;
using Marketplace.ServiceDefaults.Identity;
using Marketplace.ServiceDefaults.Messaging;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Marketplace.Gateway.Accounts;

public sealed record RegisterRequest(string DisplayName, string? Email, string? Phone, string Password);

public sealed record SignInRequest(string Login, string Password, bool RememberMe = false);

/// <param name="Language">The language of the page she asked from (<c>id</c> or <c>en</c>): the message is written in it.</param>
public sealed record ForgotPasswordRequest(string Login, string? Language = null);

public sealed record ResetPasswordRequest(Guid UserId, string Token, string NewPassword);

public sealed record AccountResponse(
    Guid Id,
    string DisplayName,
    string? Email,
    string? Phone,
    IReadOnlyList<string> Roles,
    IReadOnlyList<Guid> CooperativeIds,
    Guid? MemberId,
    string? AntiforgeryToken = null);

public sealed record AntiforgeryResponse(string Token, string HeaderName);

public static class AccountsApi
{
    public const string AntiforgeryHeader = "X-XSRF-TOKEN";

    public static IEndpointRouteBuilder MapAccountsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/account").WithTags("Account");

        group.MapPost("/register", RegisterAsync)
            .RequireAccountRateLimit()
            .WithMetadata(new EstablishesIdentityAttribute())
            .WithName("Register")
            .WithSummary("Creates a shopper account and signs it in (cookie). Checking out does not need one.");
        group.MapPost("/sign-in", SignInAsync)
            .RequireAccountRateLimit()
            .WithMetadata(new EstablishesIdentityAttribute())
            .WithName("SignIn")
            .WithSummary("Signs in a browser with email or phone number and password; answers with a fresh antiforgery token.");
        group.MapPost("/sign-out", SignOutAsync)
            .WithName("SignOut")
            .WithSummary("Ends this browser's session.");
        group.MapPost("/sign-out-everywhere", SignOutEverywhereAsync)
            .RequireAuthorization()
            .WithName("SignOutEverywhere")
            .WithSummary("Ends every session and revokes every token of this account.");
        group.MapGet("/me", MeAsync)
            .RequireAuthorization()
            .WithName("Me")
            .WithSummary("Who is signed in, with roles and cooperatives.");
        group.MapGet("/antiforgery", Antiforgery)
            .WithName("Antiforgery")
            .WithSummary($"A token to send in the {AntiforgeryHeader} header with state-changing requests a browser makes.");
        group.MapPost("/password/forgot", ForgotPasswordAsync)
            .RequireAccountRateLimit()
            .WithMetadata(new EstablishesIdentityAttribute())
            .WithName("ForgotPassword")
            .WithSummary("Sends a password reset link, if the account exists; always answers 202.");
        group.MapPost("/password/reset", ResetPasswordAsync)
            .RequireAccountRateLimit()
            .WithMetadata(new EstablishesIdentityAttribute())
            .WithName("ResetPassword")
            .WithSummary("Sets a new password with the token from the reset link, and ends every other session.");
        return app;
    }

    internal static async Task<Results<Created<AccountResponse>, ValidationProblem>> RegisterAsync(
        RegisterRequest request,
        HttpContext http,
        UserManager<MarketplaceUser> users,
        SignInManager<MarketplaceUser> signIn,
        IOutbox outbox,
        IAntiforgery antiforgery,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var user = await AccountCreation.CreateAsync(users, request, MarketplaceRoles.Shopper, outbox, clock.GetUtcNow(), cancellationToken);
        if (user.Errors is { } errors)
        {
            return errors;
        }

        await signIn.SignInAsync(user.Account!, isPersistent: false);
        return TypedResults.Created("/api/account/me", await DescribeAsync(users, user.Account!) with
        {
            AntiforgeryToken = await FreshAntiforgeryTokenAsync(http, signIn, antiforgery, user.Account!),
        });
    }

    internal static async Task<Results<Ok<AccountResponse>, ProblemHttpResult>> SignInAsync(
        SignInRequest request,
        HttpContext http,
        UserManager<MarketplaceUser> users,
        SignInManager<MarketplaceUser> signIn,
        AccountAttemptLimiter attempts,
        IAntiforgery antiforgery,
        CancellationToken cancellationToken)
    {
        if (attempts.Refuse(http, request.Login) is { } refused)
        {
            return refused;
        }

        var user = await SignInName.FindAsync(users, request.Login, cancellationToken);
        if (user is null)
        {
            SignInName.SpendAsLongAsAPasswordCheck(users, request.Password);
            attempts.Failed(http, request.Login);
            return BadCredentials();
        }

        // No lockout stored with the account: anyone could set it off and keep its owner out. Wrong passwords are
        // limited per login and client instead (AccountAttemptLimiter), alike for accounts that do not exist.
        var result = await signIn.PasswordSignInAsync(user, request.Password ?? string.Empty, request.RememberMe, lockoutOnFailure: false);
        if (!result.Succeeded)
        {
            attempts.Failed(http, request.Login);
            return BadCredentials();
        }

        return TypedResults.Ok(await DescribeAsync(users, user) with { AntiforgeryToken = await FreshAntiforgeryTokenAsync(http, signIn, antiforgery, user) });
    }

    private static async Task<NoContent> SignOutAsync(SignInManager<MarketplaceUser> signIn)
    {
        await signIn.SignOutAsync();
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, UnauthorizedHttpResult>> SignOutEverywhereAsync(
        ClaimsPrincipal principal,
        UserManager<MarketplaceUser> users,
        SignInManager<MarketplaceUser> signIn,
        TokenRevocation revocation,
        CancellationToken cancellationToken)
    {
        var user = await users.GetUserAsync(principal);
        if (user is null)
        {
            return TypedResults.Unauthorized();
        }

        await revocation.EndEverySessionAsync(user, cancellationToken);
        await signIn.SignOutAsync();
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<AccountResponse>, UnauthorizedHttpResult>> MeAsync(ClaimsPrincipal principal, UserManager<MarketplaceUser> users)
    {
        var user = await users.GetUserAsync(principal);
        return user is null ? TypedResults.Unauthorized() : TypedResults.Ok(await DescribeAsync(users, user));
    }

    private static Ok<AntiforgeryResponse> Antiforgery(HttpContext http, IAntiforgery antiforgery) =>
        TypedResults.Ok(new AntiforgeryResponse(antiforgery.GetAndStoreTokens(http).RequestToken!, AntiforgeryHeader));

    internal static async Task<Results<Accepted, ProblemHttpResult>> ForgotPasswordAsync(
        ForgotPasswordRequest request,
        HttpContext http,
        UserManager<MarketplaceUser> users,
        AccountAttemptLimiter attempts,
        GatewayDbContext db,
        IOutbox outbox,
        IOptions<AccountOptions> options,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        if (attempts.Refuse(http, request.Login) is { } refused)
        {
            return refused;
        }

        // The answer is the same whether or not the account exists: the form must not reveal who is registered.
        var user = await SignInName.FindAsync(users, request.Login, cancellationToken);
        if (user is not null && (user.Email is not null || user.PhoneNumber is not null))
        {
            // Notifications sends the link: to the email address, or by WhatsApp when the account has only a phone.
            var token = await users.GeneratePasswordResetTokenAsync(user);
            var link = new Uri(options.Value.PublicBaseUrl, $"/reset-password?user={user.Id}&token={Uri.EscapeDataString(token)}");
            var now = clock.GetUtcNow();
            outbox.Publish(
                new PasswordResetRequested(user.Id, user.DisplayName, user.Email, user.PhoneNumber, request.Language == "en" ? "en" : "id", link,
                    now + options.Value.PasswordResetLifetime, now),
                orderingKey: user.Id.ToString());
            await db.SaveChangesAsync(cancellationToken);
        }

        return TypedResults.Accepted((string?)null);
    }

    internal static async Task<Results<NoContent, ValidationProblem>> ResetPasswordAsync(
        ResetPasswordRequest request,
        UserManager<MarketplaceUser> users,
        TokenRevocation revocation,
        CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(request.UserId.ToString());
        if (user is null)
        {
            return InvalidResetToken();
        }

        var result = await users.ResetPasswordAsync(user, request.Token ?? string.Empty, request.NewPassword ?? string.Empty);
        if (!result.Succeeded)
        {
            return result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.InvalidToken))
                ? InvalidResetToken()
                : AccountCreation.ToValidationProblem(result);
        }

        // Whoever knew the old password must not stay signed in with it; a reset also ends a lockout.
        await revocation.EndEverySessionAsync(user, cancellationToken);
        await users.ResetAccessFailedCountAsync(user);
        await users.SetLockoutEndDateAsync(user, null);
        return TypedResults.NoContent();
    }

    /// <summary>The antiforgery token is bound to the user, so the one fetched before signing in is no longer valid.</summary>
    public static async Task<string?> FreshAntiforgeryTokenAsync(HttpContext http, SignInManager<MarketplaceUser> signIn, IAntiforgery antiforgery, MarketplaceUser user)
    {
        http.User = await signIn.CreateUserPrincipalAsync(user);
        return antiforgery.GetAndStoreTokens(http).RequestToken;
    }

    public static async Task<AccountResponse> DescribeAsync(UserManager<MarketplaceUser> users, MarketplaceUser user)
    {
        var roles = await users.GetRolesAsync(user);
        var claims = await users.GetClaimsAsync(user);
        var cooperatives = claims.Where(c => c.Type == MarketplaceClaims.CooperativeId).Select(c => Guid.Parse(c.Value)).ToList();
        if (user.MemberCooperativeId is { } memberCooperative && !cooperatives.Contains(memberCooperative))
        {
            cooperatives.Add(memberCooperative);
        }

        return new AccountResponse(user.Id, user.DisplayName, user.Email, user.PhoneNumber, [.. roles.Order(StringComparer.Ordinal)], cooperatives, user.MemberId);
    }

    private static ProblemHttpResult BadCredentials() =>
        TypedResults.Problem(
            "The email or phone number and password do not match an account.",
            statusCode: StatusCodes.Status401Unauthorized,
            title: "Sign-in failed",
            extensions: new Dictionary<string, object?> { ["code"] = "invalid_credentials" });

    private static ValidationProblem InvalidResetToken() =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["token"] = ["This reset link is invalid or has expired. Ask for a new one."] });
}

/// <summary>Creates an account with one role, checking that its email and phone number are usable and free.</summary>
public static class AccountCreation
{
    public sealed record Outcome(MarketplaceUser? Account, ValidationProblem? Errors);

    public static async Task<Outcome> CreateAsync(
        UserManager<MarketplaceUser> users, RegisterRequest request, string role, IOutbox outbox, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var displayName = request.DisplayName?.Trim();
        if (string.IsNullOrEmpty(displayName) || displayName.Length > 100)
        {
            return new Outcome(null, Problem("displayName", "A name of 1 to 100 characters is needed."));
        }

        var email = SignInName.NormalizeEmail(request.Email);
        var phone = WhatsAppNumber.NormalizeOptional(request.Phone);
        if (email is null && phone is null)
        {
            return new Outcome(null, Problem("email", "An email address or a phone number is needed to sign in with."));
        }

        if (email is not null && await users.FindByEmailAsync(email) is not null)
        {
            throw new ConflictException("An account with this email address exists already. Sign in, or reset its password.", "email_taken");
        }

        if (phone is not null && await SignInName.FindAsync(users, phone, cancellationToken) is not null)
        {
            throw new ConflictException("An account with this phone number exists already. Sign in, or reset its password.", "phone_taken");
        }

        var user = MarketplaceUser.Create(displayName, email, phone, now);
        var created = await users.CreateAsync(user, request.Password ?? string.Empty);
        if (!created.Succeeded)
        {
            return new Outcome(null, ToValidationProblem(created));
        }

        // Saved by the role's SaveChanges, together with it.
        AccountContacts.Changed(outbox, user, [], now);
        var added = await users.AddToRoleAsync(user, role);
        return added.Succeeded ? new Outcome(user, null) : throw new InvalidOperationException(string.Join("; ", added.Errors.Select(e => e.Description)));
    }

    public static ValidationProblem ToValidationProblem(IdentityResult result) =>
        TypedResults.ValidationProblem(result.Errors
            .GroupBy(e => e.Code.Contains("Password", StringComparison.Ordinal) ? "password" : e.Code.Contains("Email", StringComparison.Ordinal) ? "email" : "account")
            .ToDictionary(g => g.Key, g => g.Select(e => e.Description).ToArray()));

    private static ValidationProblem Problem(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });
}
