using System.Security.Claims;
using Marketplace.ServiceDefaults.Identity;
using Marketplace.Web.Api;
using Marketplace.Web.Localization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.WebUtilities;

namespace Marketplace.Web.Components.Parts;

/// <summary>
/// A page of the member or admin portal: who may see it is decided from the Gateway's token; anyone else is sent to
/// sign in and brought back. (The services check every call again: this only spares a page of refusals.)
/// </summary>
public abstract class PortalPage : ComponentBase
{
    [CascadingParameter]
    public HttpContext HttpContext { get; set; } = null!;

    [Inject]
    protected NavigationManager Navigation { get; set; } = null!;

    [Inject]
    protected Lang L { get; set; } = null!;

    protected ClaimsPrincipal User => HttpContext.User;

    protected Guid? MemberId => User.MemberId();

    /// <summary>The roles that may use this page.</summary>
    protected abstract string[] Roles { get; }

    protected bool Allowed { get; private set; }

    /// <summary>The path and query of this page, to come back to after signing in or choosing.</summary>
    protected string Here => "/" + Navigation.ToBaseRelativePath(Navigation.Uri);

    protected override async Task OnInitializedAsync()
    {
        if (User.Identity?.IsAuthenticated != true)
        {
            Navigation.NavigateTo(Paths.SignInThenBack(Here));
            return;
        }

        if (!Roles.Any(User.IsInRole))
        {
            HttpContext.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        // Allowed only once the portal knows its context: the page first renders at its first await, and what it
        // renders then (the admin navigation naming the cooperative) must not be drawn before the choice is made.
        if (await EnterAsync())
        {
            Allowed = true;
            await LoadAsync();
        }
    }

    /// <summary>What every page of this portal needs before its own data; false when the page was sent elsewhere.</summary>
    private protected virtual Task<bool> EnterAsync() => Task.FromResult(true);

    protected virtual Task LoadAsync() => Task.CompletedTask;
}

public abstract class MemberPage : PortalPage
{
    [Inject]
    private CooperativeZones Zones { get; set; } = null!;

    protected override string[] Roles => [MarketplaceRoles.Member];

    /// <summary>The time zone of the member's cooperative: her sales and payouts are dated in it.</summary>
    protected string? CooperativeTimeZone { get; private set; }

    private protected override async Task<bool> EnterAsync()
    {
        if (User.CooperativeIds().FirstOrDefault() is var cooperativeId && cooperativeId != Guid.Empty)
        {
            CooperativeTimeZone = await Zones.OfAsync(cooperativeId);
        }

        return true;
    }
}

/// <summary>
/// A page of the admin portal, always about one cooperative: the one she chose with <c>?koperasi=</c> (remembered in a
/// cookie for the following pages and redirects), or the cookie's, or, for a cooperative's admin, her first. Whatever
/// is asked for must be in the list Catalog gives this very user (her own cooperatives, or all for the platform
/// admin); with none chosen the page sends her to the list to choose, so no page ever asks about no cooperative.
/// </summary>
public abstract class AdminPage : PortalPage
{
    public const string ChosenCooperativeCookie = "web.koperasi";

    [Inject]
    private CatalogApi CooperativeDirectory { get; set; } = null!;

    protected override string[] Roles => [MarketplaceRoles.CooperativeAdmin, MarketplaceRoles.PlatformAdmin];

    protected bool IsPlatformAdmin => User.IsInRole(MarketplaceRoles.PlatformAdmin);

    /// <summary>The cooperatives this admin may work on, by name.</summary>
    protected IReadOnlyList<CooperativeSummary> Cooperatives { get; private set; } = [];

    /// <summary>
    /// The cooperative this page is about. Chosen before <see cref="PortalPage.LoadAsync"/> runs; asking for it on the
    /// one page that works without (<see cref="NeedsCooperative"/>) before a choice is a bug, not an empty id.
    /// </summary>
    protected Guid CooperativeId => Chosen?.Id ?? throw new InvalidOperationException("No cooperative is chosen on this page.");

    protected CooperativeSummary? Chosen { get; private set; }

    /// <summary>The chosen cooperative's time zone: this page's dates and "today" are hers.</summary>
    protected string? CooperativeTimeZone => Chosen?.TimeZone;

    /// <summary>False for the page that lists the cooperatives: it works before one is chosen.</summary>
    protected virtual bool NeedsCooperative => true;

    private protected override async Task<bool> EnterAsync()
    {
        Cooperatives = await CooperativesAsync();
        Chosen = Choose();
        HttpContext.Items[typeof(AdminContext)] = new AdminContext(Chosen, Cooperatives.Count, IsPlatformAdmin);
        if (Chosen is null && NeedsCooperative)
        {
            Navigation.NavigateTo(QueryHelpers.AddQueryString(Paths.AdminCooperatives, "kembali", Here));
            return false;
        }

        return true;
    }

    /// <summary>
    /// Catalog's list, or, while Catalog cannot answer, the cooperatives named in the admin's own sign-in (without
    /// their names): the kiosk needs only Orders and must keep working at the beach.
    /// </summary>
    private async Task<IReadOnlyList<CooperativeSummary>> CooperativesAsync()
    {
        try
        {
            return await CooperativeDirectory.GetAsync<List<CooperativeSummary>>("/api/catalog/cooperatives") ?? [];
        }
        catch (Exception e) when (e is HttpRequestException or Polly.Timeout.TimeoutRejectedException or Polly.CircuitBreaker.BrokenCircuitException)
        {
            return [.. User.CooperativeIds().Select(id => new CooperativeSummary(id, string.Empty, L.T("Koperasi Anda", "Your cooperative"), CooperativeStatus.Active, default))];
        }
    }

    private CooperativeSummary? Choose()
    {
        CooperativeSummary? Usable(string? value) =>
            Guid.TryParse(value, out var id) ? Cooperatives.FirstOrDefault(c => c.Id == id) : null;

        if (Usable(HttpContext.Request.Query["koperasi"]) is { } asked)
        {
            HttpContext.Response.Cookies.Append(ChosenCooperativeCookie, asked.Id.ToString(), new CookieOptions
            {
                HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = HttpContext.Request.IsHttps, Path = "/",
            });
            return asked;
        }

        if (Usable(HttpContext.Request.Cookies[ChosenCooperativeCookie]) is { } remembered)
        {
            return remembered;
        }

        // A cooperative's admin lands in her own; the platform admin, who has none, chooses from the list.
        return IsPlatformAdmin ? null : Cooperatives.FirstOrDefault(c => User.CooperativeIds().Contains(c.Id));
    }
}

/// <summary>What the admin pages' navigation shows: which cooperative, and whether there is another to choose.</summary>
public sealed record AdminContext(CooperativeSummary? Chosen, int Count, bool PlatformAdmin)
{
    public static AdminContext? Of(HttpContext http) => http.Items.TryGetValue(typeof(AdminContext), out var value) ? value as AdminContext : null;
}
