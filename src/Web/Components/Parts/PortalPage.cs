using System.Security.Claims;
using Marketplace.ServiceDefaults.Identity;
using Marketplace.Web.Localization;
using Microsoft.AspNetCore.Components;

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

    private const string ChosenCooperativeCookie = "web.koperasi";

    /// <summary>
    /// The cooperative an admin is working on: the one she chose with <c>?koperasi=</c> (remembered for the
    /// following pages and redirects), if it is one of hers, or any for the platform admin; else her first.
    /// </summary>
    protected Guid CooperativeId { get; private set; }

    private Guid ChooseCooperative()
    {
        bool Usable(Guid id) => User.CooperativeIds().Contains(id) || User.IsInRole(MarketplaceRoles.PlatformAdmin);
        if (Guid.TryParse(HttpContext.Request.Query["koperasi"], out var chosen) && Usable(chosen))
        {
            HttpContext.Response.Cookies.Append(ChosenCooperativeCookie, chosen.ToString(), new CookieOptions
            {
                HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = HttpContext.Request.IsHttps, Path = "/",
            });
            return chosen;
        }

        return Guid.TryParse(HttpContext.Request.Cookies[ChosenCooperativeCookie], out var remembered) && Usable(remembered)
            ? remembered
            : User.CooperativeIds().OrderBy(id => id).FirstOrDefault();
    }

    /// <summary>The roles that may use this page.</summary>
    protected abstract string[] Roles { get; }

    protected bool Allowed { get; private set; }

    protected override Task OnInitializedAsync()
    {
        Allowed = User.Identity?.IsAuthenticated == true && Roles.Any(User.IsInRole);
        if (User.Identity?.IsAuthenticated != true)
        {
            var here = "/" + Navigation.ToBaseRelativePath(Navigation.Uri);
            Navigation.NavigateTo($"/masuk?returnUrl={Uri.EscapeDataString(here)}");
            return Task.CompletedTask;
        }

        if (!Allowed)
        {
            HttpContext.Response.StatusCode = StatusCodes.Status403Forbidden;
            return Task.CompletedTask;
        }

        CooperativeId = ChooseCooperative();
        return LoadAsync();
    }

    protected virtual Task LoadAsync() => Task.CompletedTask;
}

public abstract class MemberPage : PortalPage
{
    protected override string[] Roles => [MarketplaceRoles.Member];
}

public abstract class AdminPage : PortalPage
{
    protected override string[] Roles => [MarketplaceRoles.CooperativeAdmin, MarketplaceRoles.PlatformAdmin];
}
