using System.Security.Claims;
using Marketplace.Orders.Lifecycle;
using Marketplace.Orders.OrderAggregate;
using Marketplace.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Orders.Checkout;

/// <summary>
/// Cash or QRIS, and the QRIS transaction's reference where the kiosk notes one. Cash needs the open till session whose
/// drawer it goes into.
/// </summary>
public sealed record KioskPaymentRequest(PaymentChannel Method, string? Reference, Guid? TillSessionId = null);

/// <summary>The kiosk: find an order by its pickup code, and take payment in cash or by the kiosk's QRIS sticker.</summary>
public static class KioskApi
{
    public static RouteGroupBuilder MapKioskApi(this RouteGroupBuilder api)
    {
        // Another cooperative's orders do not exist for this kiosk.
        var kiosk = api.MapGroup("/kiosk/{cooperativeId:guid}").WithTags("Kiosk").RequireAdminOfRouteCooperative(hideFromOthers: true);
        kiosk.MapGet("/orders/{pickupCode}", FindAsync)
            .WithName("FindOrderByPickupCode")
            .WithSummary("The cooperative's open order with this pickup code.");
        kiosk.MapPost("/orders/{orderId:guid}/payment", TakePaymentAsync)
            .WithName("TakeKioskPayment")
            .WithSummary("Records payment at the kiosk (method cash or qris) for a pay-at-kiosk order; cash goes into the open till session tillSessionId.");
        return api;
    }

    private static async Task<Results<Ok<OrderResponse>, NotFound>> FindAsync(
        Guid cooperativeId, string pickupCode, OrdersDbContext db, CancellationToken cancellationToken)
    {
        var code = pickupCode.Trim().ToUpperInvariant();
        var order = await db.Orders.AsNoTracking()
            .Where(o => o.CooperativeId == cooperativeId && o.PickupCode == code)
            .OrderByDescending(o => o.PlacedAt)
            .FirstOrDefaultAsync(cancellationToken);
        if (order is null)
        {
            return TypedResults.NotFound();
        }

        var disputes = await OrderResponses.OpenDisputesAsync(db, [order.Id], cancellationToken);
        return TypedResults.Ok(OrderResponses.Describe(order, disputes.GetValueOrDefault(order.Id)));
    }

    private static async Task<Results<Ok<OrderResponse>, NotFound>> TakePaymentAsync(
        Guid cooperativeId, Guid orderId, KioskPaymentRequest request, ClaimsPrincipal user, OrderLifecycle lifecycle, CancellationToken cancellationToken)
    {
        var order = await lifecycle.TakeKioskPaymentAsync(
            cooperativeId, orderId, request.Method, request.Reference, request.TillSessionId, user.UserId()?.ToString() ?? "unknown", cancellationToken);
        return order is null ? TypedResults.NotFound() : TypedResults.Ok(OrderResponses.Describe(order));
    }
}
