using System.Security.Claims;
using System.Text.Json;
using Marketplace.Contracts.Orders;
using Marketplace.Orders.Checkout;
using Marketplace.Orders.Data;
using Marketplace.Orders.Payments;
using Marketplace.Orders.Refunds;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Identity;
using Marketplace.ServiceDefaults.Messaging;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Stripe;

namespace Marketplace.Orders.Fulfilment;

public sealed record LineToPrepare(Guid OrderId, string PickupCode, string Fulfilment, DateOnly? PickupDate, Guid LineId, string Name, string VariantLabel,
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
            .WithSummary("The shopper cancels an unpaid order; an admin cancels any order not yet handed over or shipped (refunding what was paid).");
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
                o.Id, o.PickupCode, o.Fulfilment.ToString(), o.PickupDate, l.Id, l.Name, l.VariantLabel, l.Quantity, l.ReadyAt is not null, o.PaidAt!.Value)))
            .ToList());
    }

    private static async Task<Results<NoContent, NotFound>> MarkReadyAsync(
        Guid orderId, Guid lineId, ClaimsPrincipal user, OrdersDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var order = await db.Orders.FirstOrDefaultAsync(o => o.Id == orderId, cancellationToken);
        if (order is null)
        {
            return TypedResults.NotFound();
        }

        order.MarkLineReady(lineId, user.MemberId()!.Value, clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    private static Task<Results<Ok<OrderResponse>, NotFound>> HandOverAsync(
        Guid orderId, ClaimsPrincipal user, OrdersDbContext db, IOutbox outbox, TimeProvider clock, CancellationToken cancellationToken) =>
        ChangeAsync(orderId, user, db, order => outbox.Publish(order.HandOver(clock.GetUtcNow()), orderingKey: order.Id.ToString()), cancellationToken);

    private static Task<Results<Ok<OrderResponse>, NotFound>> ShipAsync(
        Guid orderId, ShipRequest request, ClaimsPrincipal user, OrdersDbContext db, TimeProvider clock, CancellationToken cancellationToken) =>
        ChangeAsync(orderId, user, db, order => order.Ship(request.Courier, request.TrackingNumber, clock.GetUtcNow()), cancellationToken);

    private static Task<Results<Ok<OrderResponse>, NotFound>> DeliverAsync(
        Guid orderId, ClaimsPrincipal user, OrdersDbContext db, IOutbox outbox, TimeProvider clock, CancellationToken cancellationToken) =>
        ChangeAsync(orderId, user, db, order => outbox.Publish(order.Deliver(clock.GetUtcNow()), orderingKey: order.Id.ToString()), cancellationToken);

    private static async Task<Results<Ok<OrderResponse>, NotFound>> CancelAsync(
        Guid orderId,
        HttpContext http,
        OrdersDbContext db,
        IOutbox outbox,
        StripePayments stripe,
        RefundExecutor refunds,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        try
        {
            return await CancelOnceAsync(orderId, http, db, outbox, stripe, refunds, clock, cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Expiring the Checkout Session makes Stripe send "expired" at once; that webhook may have closed the
            // order first. An order that is no longer open is what the shopper asked for.
            db.ChangeTracker.Clear();
            var order = await db.Orders.AsNoTracking().FirstAsync(o => o.Id == orderId, cancellationToken);
            return order.Status is OrderStatus.Expired or OrderStatus.Cancelled
                ? TypedResults.Ok(CheckoutApi.Describe(order))
                : throw new ConflictException("The order changed while cancelling it; look at it again.", "concurrent_change");
        }
    }

    private static async Task<Results<Ok<OrderResponse>, NotFound>> CancelOnceAsync(
        Guid orderId,
        HttpContext http,
        OrdersDbContext db,
        IOutbox outbox,
        StripePayments stripe,
        RefundExecutor refunds,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var order = await db.Orders.FirstOrDefaultAsync(o => o.Id == orderId, cancellationToken);
        if (order is null || !CheckoutApi.CanSee(http, order))
        {
            return TypedResults.NotFound();
        }

        var byAdmin = http.User.IsAdminOf(order.CooperativeId);
        var refundKey = $"cancel-{order.Id}";
        if (order.Status == OrderStatus.Cancelled && order.IsPaid && byAdmin)
        {
            // A retry of a cancellation whose refund did not finish: finish it.
            if (await db.Refunds.AsNoTracking().FirstOrDefaultAsync(r => r.OrderId == order.Id && r.RequestKey == refundKey, cancellationToken) is { } pending)
            {
                await refunds.CompleteAsync(pending.Id, cancellationToken);
            }

            return TypedResults.Ok(CheckoutApi.Describe(order));
        }

        var now = clock.GetUtcNow();
        if (order is { Status: OrderStatus.AwaitingPayment, CheckoutSessionId: { } sessionId, StripeAccountId: { } account })
        {
            // Close Stripe's page first, and cancel only once Stripe says it is closed: a page left open could still
            // take the shopper's money for a cancelled order.
            try
            {
                await stripe.ExpireSessionAsync(sessionId, account, cancellationToken);
            }
            catch (StripeException)
            {
            }

            var session = await stripe.GetSessionAsync(sessionId, account, cancellationToken);
            if (session.Status == "complete" && await stripe.VerifiedPaymentAsync(order, account, cancellationToken) is { } paymentIntent)
            {
                OrderPayment.Record(order, paymentIntent, outbox, now);
                await db.SaveChangesAsync(cancellationToken);
                if (!byAdmin)
                {
                    throw new ConflictException("The order was paid just now; ask the cooperative to cancel it.", "illegal_transition");
                }
            }
            else if (session.Status != "expired")
            {
                throw new ConflictException("Stripe's payment page could not be closed yet; try again in a moment.", "checkout_still_open");
            }
        }

        var wasPaid = order.IsPaid;
        order.Cancel(byAdmin ? "cooperative" : "shopper", byAdmin, now);
        Refunds.Refund? refund = null;
        if (!wasPaid)
        {
            outbox.Publish(new ReleaseStockReservation(order.Id, "cancelled"), orderingKey: order.Id.ToString());
        }
        else if (order.RefundedRupiah < order.TotalRupiah)
        {
            refund = await refunds.StartAsync(order, refundKey, order.RemainingLines(), order.ShippingRupiah > 0 && !order.ShippingRefunded, cancellationToken);
        }

        // The cancellation, the refund's record and both messages commit together; Stripe is asked afterwards.
        outbox.Publish(new OrderCancelled(order.Id, order.CooperativeId, order.CancelledBy!, wasPaid, now), orderingKey: order.Id.ToString());
        await db.SaveChangesAsync(cancellationToken);
        if (refund is not null)
        {
            await refunds.CompleteAsync(refund.Id, cancellationToken);
        }

        return TypedResults.Ok(CheckoutApi.Describe(order));
    }

    /// <summary>Only the order's own cooperative's admins; for anyone else it does not exist.</summary>
    private static async Task<Results<Ok<OrderResponse>, NotFound>> ChangeAsync(
        Guid orderId, ClaimsPrincipal user, OrdersDbContext db, Action<Order> change, CancellationToken cancellationToken)
    {
        var order = await db.Orders.FirstOrDefaultAsync(o => o.Id == orderId, cancellationToken);
        if (order is null || !user.IsAdminOf(order.CooperativeId))
        {
            return TypedResults.NotFound();
        }

        change(order);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(CheckoutApi.Describe(order));
    }
}
