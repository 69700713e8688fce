using Marketplace.Gateway.Data;
using Marketplace.Gateway.Invitations;
using Marketplace.Gateway.Security;
using Marketplace.ServiceDefaults.Audit;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Formatting;
using Marketplace.ServiceDefaults.Messaging;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Marketplace.Gateway.Accounts;

/// <summary>
/// The account pages' plain HTML forms post here, so signing in works before (or without) any script, and the
/// Gateway sees the shopper's own address for its limits. Each form runs the same code as its JSON endpoint and
/// answers with a redirect: to where the shopper was going, or back to the page with an error code and what she
/// typed (never the password). A form is taken only from the marketplace's own pages (Origin / Sec-Fetch-Site).
/// </summary>
public static class AccountForms
{
    public static IEndpointRouteBuilder MapAccountForms(this IEndpointRouteBuilder app)
    {
        // The forms carry no token; what keeps another site from posting them is the browser naming where a form came from.
        var forms = app.MapGroup("/account").WithTags("Account forms").DisableAntiforgery().ExcludeFromDescription()
            .AddEndpointFilter((context, next) => FromOwnPage(context.HttpContext) ? next(context) : ValueTask.FromResult<object?>(ForeignForm()))
            .AddEndpointFilter(async (context, next) => await ControlCharactersIn(context.HttpContext) ?? await next(context));
        forms.MapPost("/sign-in", SignInAsync).RequireAccountRateLimit();
        forms.MapPost("/register", RegisterAsync).RequireAccountRateLimit();
        forms.MapPost("/join", JoinAsync).RequireAccountRateLimit();
        forms.MapPost("/sign-out", SignOutAsync);
        forms.MapPost("/password/forgot", ForgotPasswordAsync).RequireAccountRateLimit();
        forms.MapPost("/password/reset", ResetPasswordAsync).RequireAccountRateLimit();
        return app;
    }

    /// <summary>
    /// The forms' texts are single lines (names, logins, codes): a control character in one (a NUL, which PostgreSQL
    /// cannot even be asked about) is refused at its field, as the JSON bodies are (ServiceDefaults' ControlCharacters).
    /// A browser's own inputs cannot hold one, so this answers a script, with a problem body rather than a page.
    /// Passwords are hashed, never stored or compared as text: any character is theirs to have.
    /// </summary>
    private static async Task<IResult?> ControlCharactersIn(HttpContext http)
    {
        if (!http.Request.HasFormContentType)
        {
            return null;
        }

        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        string[] message = ["Control characters are not allowed here."];
        string[] code = [ControlCharacters.Code];
        var refused = form
            // Passwords are anything she chooses; the return address is never stored and goes home unless it is a page here.
            .Where(f => !f.Key.Contains("password", StringComparison.OrdinalIgnoreCase)
                && !f.Key.Equals("returnUrl", StringComparison.OrdinalIgnoreCase)
                && f.Value.Any(v => ControlCharacters.Refused(v, allowLineBreaks: false)))
            .Select(f => f.Key)
            .ToList();
        return refused.Count == 0
            ? null
            : TypedResults.Problem(
                "Control characters are not allowed in these fields.",
                statusCode: StatusCodes.Status400BadRequest,
                title: "Some fields need attention.",
                extensions: new Dictionary<string, object?>
                {
                    ["code"] = ControlCharacters.Code,
                    ["errors"] = refused.ToDictionary(f => f, _ => message),
                    ["fieldCodes"] = refused.ToDictionary(f => f, _ => code),
                });
    }

    private static async Task<IResult> SignInAsync(
        HttpContext http,
        IFormCollection form,
        UserManager<MarketplaceUser> users,
        SignInManager<MarketplaceUser> signIn,
        AccountAttemptLimiter attempts,
        IAntiforgery antiforgery,
        CancellationToken cancellationToken)
    {
        var login = form["login"].ToString();
        var request = new SignInRequest(login, form["password"].ToString(), form["remember"] == "on");
        var result = await AccountsApi.SignInAsync(request, http, users, signIn, attempts, antiforgery, cancellationToken);
        return result.Result is Ok<AccountResponse> ok
            ? Redirect(AfterSigningIn(ReturnUrl(form), ok.Value!.Roles))
            : Back("/masuk", ErrorCode(result.Result), form, ("login", login));
    }

    private static async Task<IResult> RegisterAsync(
        HttpContext http,
        IFormCollection form,
        UserManager<MarketplaceUser> users,
        SignInManager<MarketplaceUser> signIn,
        IOutbox outbox,
        IAntiforgery antiforgery,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var request = new RegisterRequest(form["displayName"].ToString(), Optional(form["email"]), Optional(form["phone"]), form["password"].ToString());
        var typed = Typed(form, "displayName", "email", "phone");
        try
        {
            var result = await AccountsApi.RegisterAsync(request, http, users, signIn, outbox, antiforgery, clock, cancellationToken);
            return result.Result is Created<AccountResponse> ? Redirect(ReturnUrl(form)) : Back("/daftar", ErrorCode(result.Result), form, typed);
        }
        catch (DomainException taken)
        {
            return Back("/daftar", taken.Code, form, typed);
        }
    }

    private static async Task<IResult> JoinAsync(
        HttpContext http,
        IFormCollection form,
        GatewayDbContext db,
        UserManager<MarketplaceUser> users,
        SignInManager<MarketplaceUser> signIn,
        IOutbox outbox,
        IAntiforgery antiforgery,
        TimeProvider clock,
        AuditTrail audit,
        CancellationToken cancellationToken)
    {
        var request = new AcceptInvitationRequest(form["code"].ToString(), Optional(form["displayName"]), Optional(form["email"]), Optional(form["phone"]), form["password"].ToString());
        var typed = Typed(form, "code", "displayName", "email", "phone");
        try
        {
            var result = await InvitationsApi.AcceptAsync(request, http, db, users, signIn, outbox, antiforgery, clock, audit, cancellationToken);
            return result.Result is Ok<AccountResponse> account
                ? Redirect(AfterJoining(account.Value!.Roles))
                : Back("/gabung", ErrorCode(result.Result), form, typed);
        }
        catch (DomainException refused)
        {
            return Back("/gabung", refused.Code, form, typed);
        }
    }

    private static async Task<IResult> ForgotPasswordAsync(
        HttpContext http,
        IFormCollection form,
        UserManager<MarketplaceUser> users,
        AccountAttemptLimiter attempts,
        GatewayDbContext db,
        IOutbox outbox,
        Microsoft.Extensions.Options.IOptions<AccountOptions> options,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var login = form["login"].ToString();
        // The page says which language it is in, and the message is written in it.
        var request = new ForgotPasswordRequest(login, form["language"].ToString());
        var result = await AccountsApi.ForgotPasswordAsync(request, http, users, attempts, db, outbox, options, clock, cancellationToken);

        // The same answer whether or not the account exists.
        return result.Result is Accepted ? Redirect("/lupa-sandi?sent=1") : Back("/lupa-sandi", ErrorCode(result.Result), form, ("login", login));
    }

    private static async Task<IResult> ResetPasswordAsync(
        IFormCollection form,
        UserManager<MarketplaceUser> users,
        Tokens.TokenRevocation revocation,
        CancellationToken cancellationToken)
    {
        var user = Guid.TryParse(form["user"], out var id) ? id : Guid.Empty;
        var result = await AccountsApi.ResetPasswordAsync(new ResetPasswordRequest(user, form["token"].ToString(), form["password"].ToString()), users, revocation, cancellationToken);
        return result.Result is NoContent
            ? Redirect("/masuk?notice=password-reset")
            : Back("/reset-password", ErrorCode(result.Result), form, ("user", form["user"].ToString()), ("token", form["token"].ToString()));
    }

    private static async Task<IResult> SignOutAsync(SignInManager<MarketplaceUser> signIn)
    {
        await signIn.SignOutAsync();
        return Redirect("/");
    }

    /// <summary>
    /// Browsers name the page a form came from: a form posted from another site carries its Origin (and
    /// Sec-Fetch-Site "cross-site"). Either one naming another site refuses the post.
    /// </summary>
    private static bool FromOwnPage(HttpContext http)
    {
        var site = http.Request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0 && site is not ("same-origin" or "none"))
        {
            return false;
        }

        var origin = http.Request.Headers.Origin.ToString();
        return origin.Length == 0
            || (Uri.TryCreate(origin, UriKind.Absolute, out var from) && string.Equals(from.Authority, http.Request.Host.Value, StringComparison.OrdinalIgnoreCase));
    }

    private static ProblemHttpResult ForeignForm() =>
        TypedResults.Problem("This form can only be sent from the marketplace's own pages.", statusCode: StatusCodes.Status400BadRequest, title: "Form from another site");

    private static string ErrorCode(IResult? result) => result switch
    {
        ProblemHttpResult problem when problem.ProblemDetails.Extensions.TryGetValue("code", out var code) => code?.ToString() ?? "failed",
        ValidationProblem validation => "invalid:" + string.Join(',', validation.ProblemDetails.Errors.Keys),
        NotFound<ProblemDetails> notFound when notFound.Value?.Extensions.TryGetValue("code", out var code) == true => code?.ToString() ?? "not_found",
        _ => "failed",
    };

    private static string? Optional(Microsoft.Extensions.Primitives.StringValues value) => string.IsNullOrWhiteSpace(value) ? null : value.ToString();

    private static (string, string)[] Typed(IFormCollection form, params string[] fields) => fields.Select(f => (f, form[f].ToString())).ToArray();

    private static string ReturnUrl(IFormCollection form) => LocalPaths.OrHome(form["returnUrl"].ToString());

    /// <summary>Where a new admin, member or clerk starts: her portal; a clerk only, the counter's till.</summary>
    private static string AfterJoining(IReadOnlyList<string> roles) =>
        roles.Contains(ServiceDefaults.Identity.MarketplaceRoles.CooperativeAdmin) ? "/admin"
        : roles.Contains(ServiceDefaults.Identity.MarketplaceRoles.Member) ? "/anggota"
        : roles.Contains(ServiceDefaults.Identity.MarketplaceRoles.KioskClerk) ? "/kasir"
        : "/akun";

    /// <summary>A clerk and nothing else who signs in with no page in mind (the account page) goes to the counter's till.</summary>
    private static string AfterSigningIn(string returnUrl, IReadOnlyList<string> roles) =>
        returnUrl == "/akun" && AfterJoining(roles) == "/kasir" ? "/kasir" : returnUrl;

    private static IResult Redirect(string path) => Results.Redirect(path, permanent: false, preserveMethod: false);

    private static IResult Back(string page, string error, IFormCollection form, params (string Name, string Value)[] typed)
    {
        var query = new Dictionary<string, string?> { ["error"] = error, ["returnUrl"] = ReturnUrl(form) };
        foreach (var (name, value) in typed)
        {
            query[name] = value;
        }

        return Redirect(Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(page, query));
    }
}
