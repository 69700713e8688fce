using System.Security.Claims;
using Marketplace.Contracts.Gateway;
using Marketplace.Gateway.Data;
using Marketplace.ServiceDefaults.Identity;
using Marketplace.ServiceDefaults.Messaging;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Marketplace.Gateway.Accounts;

/// <summary>
/// Whoever signs in, by password, at registration or by accepting an invitation, in a browser where she shopped as a
/// guest brings that guest along: Orders is told, and moves the guest's baskets and orders to the account in one
/// transaction. Said once, at the cookie's sign-in, so no way of signing in can miss it.
/// </summary>
internal static class GuestShopperHandOver
{
    public static async Task AnnounceAsync(CookieSignedInContext context)
    {
        if (!Guid.TryParse(context.Request.Cookies[GuestCookie.Name], out var guestId)
            || !Guid.TryParse(context.Principal?.FindFirstValue(MarketplaceClaims.UserId), out var userId))
        {
            return;
        }

        var services = context.HttpContext.RequestServices;
        var clock = services.GetRequiredService<TimeProvider>();
        services.GetRequiredService<IOutbox>().Publish(new ShopperSignedIn(userId, guestId, clock.GetUtcNow()), orderingKey: $"guest:{guestId}");
        await services.GetRequiredService<GatewayDbContext>().SaveChangesAsync(context.HttpContext.RequestAborted);
    }
}
