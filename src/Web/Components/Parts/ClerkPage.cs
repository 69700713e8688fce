using Marketplace.ServiceDefaults.Identity;
using Marketplace.Web.Api;
using Microsoft.AspNetCore.Components;

namespace Marketplace.Web.Components.Parts;

/// <summary>
/// A page of the kiosk's counter (the sale screen, the till): for the cooperative's clerks (kasir) and its admins.
/// A clerk works for the one cooperative in her sign-in; an admin for the one she chose in the admin portal
/// (<c>?koperasi=</c> or its cookie), or her first. The services check every call again.
/// </summary>
public abstract class ClerkPage : PortalPage
{
    [Inject]
    private CatalogApi Catalog { get; set; } = null!;

    [Inject]
    private CooperativeZones Zones { get; set; } = null!;

    protected override string[] Roles => [MarketplaceRoles.KioskClerk, MarketplaceRoles.CooperativeAdmin, MarketplaceRoles.PlatformAdmin];

    protected Guid CooperativeId { get; private set; }

    protected string CooperativeName { get; private set; } = string.Empty;

    /// <summary>The cooperative's time zone: the counter's times are the kiosk's.</summary>
    protected string? CooperativeTimeZone { get; private set; }

    private protected override async Task<bool> EnterAsync()
    {
        var asked = HttpContext.Request.Query["koperasi"].ToString();
        var remembered = HttpContext.Request.Cookies[AdminPage.ChosenCooperativeCookie];
        var chosen = new[] { asked, remembered }
            .Select(v => Guid.TryParse(v, out var id) ? id : Guid.Empty)
            .Concat(User.CooperativeIds())
            .FirstOrDefault(id => id != Guid.Empty && User.IsClerkOf(id));
        if (chosen == Guid.Empty)
        {
            // The platform admin has no cooperative of her own: she chooses one first.
            Navigation.NavigateTo(Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(Paths.AdminCooperatives, "kembali", Here));
            return false;
        }

        CooperativeId = chosen;
        CooperativeTimeZone = await Zones.OfAsync(chosen);
        try
        {
            CooperativeName = (await Catalog.GetAsync<Cooperative>($"/api/catalog/cooperatives/{chosen}"))?.Name ?? string.Empty;
        }
        catch (Exception e) when (e is HttpRequestException or Polly.Timeout.TimeoutRejectedException or Polly.CircuitBreaker.BrokenCircuitException)
        {
            // The counter keeps selling when Catalog cannot answer: the name is only a heading.
            CooperativeName = string.Empty;
        }

        return true;
    }
}
