using Marketplace.Orders.Baskets;
using Marketplace.Orders.OrderAggregate;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Orders.Checkout;

/// <summary>Reading orders: one (optionally waiting for it to move on), a shopper's own, a cooperative's.</summary>
public static class OrderReadsApi
{
    public static RouteGroupBuilder MapOrderReadsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/orders/{id:guid}", GetAsync)
            .WithTags("Checkout")
            .WithName("GetOrder")
            .WithSummary("The order's status, for the shopper who placed it and the cooperative's admins. With ?waitWhile=<status> "
                + "the answer waits (up to waitSeconds, at most 25, default 20) until the order leaves that status.");
        api.MapGet("/orders/mine", MineAsync)
            .WithTags("Checkout")
            .WithName("MyOrders")
            .WithSummary("This shopper's orders, newest first.");
        api.MapGet("/cooperatives/{cooperativeId:guid}/orders", CooperativeOrdersAsync)
            .RequireAdminOfRouteCooperative()
            .WithTags("Checkout")
            .WithName("CooperativeOrders")
            .WithSummary("The cooperative's orders, newest first, 50 at a time: ?status=paid&before=<placedAt of the last one seen>.");
        return api;
    }

    private static async Task<Results<Ok<OrderResponse>, NotFound>> GetAsync(
        Guid id,
        HttpContext http,
        OrdersDbContext db,
        OrderChangeWaiters waiters,
        CancellationToken cancellationToken,
        string? waitWhile = null,
        int? waitSeconds = null)
    {
        var awaited = StatusOrNull(waitWhile, "waitWhile", "invalid_wait");

        // Registered before the order is read: a change committed in between still ends the wait.
        using var waiting = awaited is null ? null : waiters.Register(id);
        var order = await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id, cancellationToken);
        if (order is null || !OrderResponses.CanSee(http, order))
        {
            return TypedResults.NotFound();
        }

        if (waiting is not null && order.Status == awaited
            && await waiting.ChangedAsync(TimeSpan.FromSeconds(Math.Clamp(waitSeconds ?? 20, 1, 25)), cancellationToken))
        {
            order = await db.Orders.AsNoTracking().FirstAsync(o => o.Id == id, cancellationToken);
        }

        // A chargeback is the cooperative's business with Stripe: its admins see it on the order, the shopper does not.
        var disputes = http.User.IsAdminOf(order.CooperativeId) ? await OrderResponses.OpenDisputesAsync(db, [order.Id], cancellationToken) : [];
        return TypedResults.Ok(OrderResponses.Describe(order, disputes.GetValueOrDefault(order.Id)));
    }

    private static async Task<Ok<List<OrderResponse>>> MineAsync(HttpContext http, OrdersDbContext db, CancellationToken cancellationToken)
    {
        // Orders placed as a guest before signing in count as hers until sign-in claims them.
        var owners = new[] { BasketOwner.User(http), BasketOwner.Guest(http) }.OfType<string>().ToList();
        var orders = owners.Count == 0 ? [] : await db.Orders.AsNoTracking().Where(o => owners.Contains(o.Owner)).OrderByDescending(o => o.PlacedAt).Take(50).ToListAsync(cancellationToken);
        return TypedResults.Ok(orders.Select(OrderResponses.Describe).ToList());
    }

    private static async Task<Ok<List<OrderResponse>>> CooperativeOrdersAsync(
        Guid cooperativeId, OrdersDbContext db, CancellationToken cancellationToken, string? status = null, DateTimeOffset? before = null)
    {
        var query = db.Orders.AsNoTracking().Where(o => o.CooperativeId == cooperativeId);
        if (StatusOrNull(status, "status", "invalid_status") is { } only)
        {
            query = query.Where(o => o.Status == only);
        }

        if (before is { } cursor)
        {
            var instant = cursor.ToUniversalTime();
            query = query.Where(o => o.PlacedAt < instant);
        }

        var orders = await query.OrderByDescending(o => o.PlacedAt).Take(50).ToListAsync(cancellationToken);
        var disputes = await OrderResponses.OpenDisputesAsync(db, orders.Select(o => o.Id).ToList(), cancellationToken);
        return TypedResults.Ok(orders.Select(o => OrderResponses.Describe(o, disputes.GetValueOrDefault(o.Id))).ToList());
    }

    /// <summary>A status named in a query, in any casing (<c>paid</c>, <c>Paid</c>); anything else is a clear 400.</summary>
    private static OrderStatus? StatusOrNull(string? value, string parameter, string code)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return Enum.TryParse<OrderStatus>(value.Trim(), ignoreCase: true, out var status) && Enum.IsDefined(status) && !int.TryParse(value, out _)
            ? status
            : throw new DomainException($"{parameter} must be an order status, such as reserving, awaitingPayment or paid.", code);
    }
}
