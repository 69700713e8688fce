using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Marketplace.ServiceDefaults.Identity;

/// <summary>
/// "Only an admin of this cooperative" said once for a whole route group: the group's routes carry a
/// <c>{cooperativeId:guid}</c> segment, and a caller who is not its admin is refused before any handler runs.
/// </summary>
public static class CooperativeAdminFilter
{
    public const string RouteParameter = "cooperativeId";

    /// <summary>
    /// Requires the cooperative-admin policy and that the caller administers the cooperative in the route. Others get a
    /// 403, or a 404 with <paramref name="hideFromOthers"/> (where even the existence of what is asked for is private).
    /// </summary>
    public static TBuilder RequireAdminOfRouteCooperative<TBuilder>(this TBuilder builder, bool hideFromOthers = false)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.RequireAuthorization(MarketplacePolicies.CooperativeAdmin);
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var isAdmin = Guid.TryParse(http.GetRouteValue(RouteParameter) as string, out var cooperativeId)
                && http.User.IsAdminOf(cooperativeId);
            if (!isAdmin)
            {
                return hideFromOthers ? TypedResults.NotFound() : TypedResults.Forbid();
            }

            return await next(context);
        });
        return builder;
    }

    /// <summary>
    /// Requires the kiosk-clerk policy and that the caller sells for the cooperative in the route (its clerk or its
    /// admin). Others get a 404: a till's existence is the cooperative's business.
    /// </summary>
    public static TBuilder RequireClerkOfRouteCooperative<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.RequireAuthorization(MarketplacePolicies.KioskClerk);
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var isClerk = Guid.TryParse(http.GetRouteValue(RouteParameter) as string, out var cooperativeId)
                && http.User.IsClerkOf(cooperativeId);
            return isClerk ? await next(context) : TypedResults.NotFound();
        });
        return builder;
    }
}
