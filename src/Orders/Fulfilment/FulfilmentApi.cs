using System.Security.Claims;
using System.Text.Json;
using Marketplace.Orders.Checkout;
using Marketplace.Orders.Lifecycle;
using Marketplace.Orders.OrderAggregate;
using Marketplace.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Marketplace.Orders.Fulfilment;

public sealed record LineToPrepare(Guid OrderId, string PickupCode, FulfilmentKind Fulfilment, DateOnly? PickupDate, Guid LineId, string Name, string VariantLabel,
    int Quantity, bool Ready, DateTimeOffset PaidAt);

public sealed record ShipRequest(string Courier, string TrackingNumber);

/// <summary>After payment: members prepare their lines, the kiosk hands orders over or ships them, orders are cancelled.</summary>
public static class FulfilmentApi
{
    public static RouteGroupBuilder MapFulfilmentApi(this RouteGroupBuilder api)
    {
        api.MapGet("/members/me/lines", MyLinesAsync)
            .RequireAuthorization(MarketplacePolicies.Member)
            .WithTags("Fulfilment")
            .WithName("MyLinesToPrepare")
            .WithSummary("The lines of paid orders this member must prepare, oldest first, across all orders.");
        api.MapPost("/orders/{orderId:guid}/lines/{lineId:guid}/ready", MarkReadyAsync)
            .RequireAuthorization(MarketplacePolicies.Member)
            .WithTags("Fulfilment")
            .WithName("MarkLineReady")
            .WithSummary("The member has prepared her line.");
        api.MapPost("/orders/{orderId:guid}/hand-over", HandOverAsync)
            .RequireAuthorization(MarketplacePolicies.CooperativeAdmin)
            .WithTags("Fulfilment")
            .WithName("HandOver")
            .WithSummary("The kiosk hands a paid pickup order over; its lines' earnings become payable.");
        api.MapPost("/orders/{orderId:guid}/ship", ShipAsync)
            .RequireAuthorization(MarketplacePolicies.CooperativeAdmin)
            .WithTags("Fulfilment")
            .WithName("Ship")
            .WithSummary("A paid order went to the courier, with its tracking number.");
        api.MapPost("/orders/{orderId:guid}/deliver", DeliverAsync)
            .RequireAuthorization(MarketplacePolicies.CooperativeAdmin)
            .WithTags("Fulfilment")
            .WithName("Deliver")
            .WithSummary("A shipped order arrived; its lines' earnings become payable.");
        api.MapPost("/orders/{orderId:guid}/cancel", CancelAsync)
            .WithTags("Fulfilment")
            .WithName("CancelOrder")
            .WithSummary("The shopper cancels an unpaid order; an admin cancels any order not yet handed over or shipped (refunding what was paid; "
                + "a kiosk payment in cash from the open till session ?tillSessionId=).");
        api.MapPost("/orders/{orderId:guid}/payment-check", CheckPaymentAsync)
            .WithTags("Fulfilment")
            .WithName("CheckPayment")
            .WithSummary("The shopper is back from Stripe's page: Stripe is asked where the payment stands and the order follows, "
                + "as the webhook would. Answers the order as it is now.");
        return api;
    }

    private static async Task<Ok<List<LineToPrepare>>> MyLinesAsync(ClaimsPrincipal user, OrdersDbContext db, CancellationToken cancellationToken)
    {
        var memberId = user.MemberId()!.Value;
        var filter = JsonSerializer.Serialize(new[] { new { memberId } });
        var orders = await db.Orders.FromSql($"SELECT *, xmin FROM orders.orders WHERE status = 'Paid' AND lines @> {filter}::jsonb")
            .AsNoTracking().OrderBy(o => o.PaidAt).Take(500).ToListAsync(cancellationToken);
        return TypedResults.Ok(orders
            .SelectMany(o => o.Lines.Where(l => l.MemberId == memberId).Select(l => new LineToPrepare(
                o.Id, o.PickupCode, o.Fulfilment, o.PickupDate, l.Id, l.Name, l.VariantLabel, l.Quantity, l.ReadyAt is not null, o.PaidAt!.Value)))
            .ToList());
    }

    private static async Task<Results<NoContent, NotFound>> MarkReadyAsync(
        Guid orderId, Guid lineId, ClaimsPrincipal user, OrderLifecycle lifecycle, CancellationToken cancellationToken) =>
        await lifecycle.MarkLineReadyAsync(orderId, lineId, user.MemberId()!.Value, cancellationToken) is null ? TypedResults.NotFound() : TypedResults.NoContent();

    private static async Task<Results<Ok<OrderResponse>, NotFound>> HandOverAsync(
        Guid orderId, ClaimsPrincipal user, OrderLifecycle lifecycle, CancellationToken cancellationToken) =>
        Answer(await lifecycle.HandOverAsync(orderId, OfAdministeredCooperative(user), cancellationToken));

    private static async Task<Results<Ok<OrderResponse>, NotFound>> ShipAsync(
        Guid orderId, ShipRequest request, ClaimsPrincipal user, OrderLifecycle lifecycle, CancellationToken cancellationToken) =>
        Answer(await lifecycle.ShipAsync(orderId, request.Courier, request.TrackingNumber, OfAdministeredCooperative(user), cancellationToken));

    private static async Task<Results<Ok<OrderResponse>, NotFound>> DeliverAsync(
        Guid orderId, ClaimsPrincipal user, OrderLifecycle lifecycle, CancellationToken cancellationToken) =>
        Answer(await lifecycle.DeliverAsync(orderId, OfAdministeredCooperative(user), cancellationToken));

    private static async Task<Results<Ok<OrderResponse>, NotFound>> CancelAsync(
        Guid orderId, Guid? tillSessionId, HttpContext http, OrdersDbContext db, OrderLifecycle lifecycle, CancellationToken cancellationToken)
    {
        var order = await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == orderId, cancellationToken);
        if (order is null || !OrderResponses.CanSee(http, order))
        {
            return TypedResults.NotFound();
        }

        return Answer(await lifecycle.CancelAsync(order, byAdmin: http.User.IsAdminOf(order.CooperativeId), cancellationToken, tillSessionId, http.User.UserId()?.ToString() ?? "unknown"));
    }

    /// <summary>
    /// Back from Stripe's page (<c>?paid=1</c>): a webhook that was lost or is still being retried must not keep her
    /// waiting, so Stripe is asked now, through the very step the webhook takes (one path, one record).
    /// </summary>
    private static async Task<Results<Ok<OrderResponse>, NotFound>> CheckPaymentAsync(
        Guid orderId, HttpContext http, OrdersDbContext db, OrderLifecycle lifecycle, IMemoryCache recentChecks, ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var order = await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == orderId, cancellationToken);
        if (order is null || !OrderResponses.CanSee(http, order))
        {
            return TypedResults.NotFound();
        }

        // The order page refreshes itself every few seconds while it waits: Stripe is asked about one order at most every
        // few seconds per replica, and the sweep covers the rest.
        if (order is { Status: OrderStatus.AwaitingPayment or OrderStatus.ConfirmingPayment, CheckoutSessionId: not null } && TakeTurnToAsk(recentChecks, orderId))
        {
            try
            {
                await lifecycle.ReconcileWithStripeAsync(orderId, cancellationToken);
            }
            catch (Exception ex) when (ex is Stripe.StripeException or HttpRequestException)
            {
                // Stripe cannot answer now: she sees the order as it is, her page asks again, and so does the sweep.
                loggers.CreateLogger(typeof(FulfilmentApi)).LogWarning(ex, "Checking order {OrderId} with Stripe failed", orderId);
            }

            order = await db.Orders.AsNoTracking().FirstAsync(o => o.Id == orderId, cancellationToken);
        }

        return TypedResults.Ok(OrderResponses.Describe(order));
    }

    private static readonly TimeSpan PaymentCheckSpacing = TimeSpan.FromSeconds(5);

    private static bool TakeTurnToAsk(IMemoryCache recentChecks, Guid orderId)
    {
        var key = ("payment-check", orderId);
        if (recentChecks.TryGetValue(key, out _))
        {
            return false;
        }

        recentChecks.Set(key, true, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = PaymentCheckSpacing, Size = 1 });
        return true;
    }

    /// <summary>Only the order's own cooperative's admins; for anyone else it does not exist.</summary>
    private static Func<Order, bool> OfAdministeredCooperative(ClaimsPrincipal user) => order => user.IsAdminOf(order.CooperativeId);

    private static Results<Ok<OrderResponse>, NotFound> Answer(Order? order) =>
        order is null ? TypedResults.NotFound() : TypedResults.Ok(OrderResponses.Describe(order));
}
