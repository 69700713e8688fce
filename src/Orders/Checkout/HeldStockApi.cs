using Marketplace.Orders.Lifecycle;
using Marketplace.Orders.OrderAggregate;
using Marketplace.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Orders.Checkout;

/// <summary>One size an unpaid order holds: what, how many, for whom, since and until when.</summary>
public sealed record HeldLine(
    Guid OrderId,
    string PickupCode,
    OrderStatus Status,
    PaymentMethod Payment,
    string BuyerName,
    string BuyerWhatsApp,
    string? ClientAddress,
    Guid ProductId,
    Guid VariantId,
    string ProductName,
    string VariantLabel,
    int Quantity,
    DateOnly? PickupDate,
    DateTimeOffset PlacedAt,
    DateTimeOffset? HeldUntil);

public sealed record ReleaseHoldRequest(string Reason);

/// <summary>The cooperative sees what unpaid orders hold of its stock, and can let an order's hold go.</summary>
public static class HeldStockApi
{
    private const int MaxOrders = 500;

    public static RouteGroupBuilder MapHeldStockApi(this RouteGroupBuilder api)
    {
        // Another cooperative's holds do not exist for this admin.
        var group = api.MapGroup("/merchants/{cooperativeId:guid}/held-stock").WithTags("Held stock").RequireAdminOfRouteCooperative(hideFromOthers: true);
        group.MapGet("/", ListAsync)
            .WithName("ListHeldStock")
            .WithSummary("Unpaid orders holding the cooperative's goods, a row per order and size, the longest held first.");
        group.MapPost("/{orderId:guid}/release", ReleaseAsync)
            .WithName("ReleaseHeldStock")
            .WithSummary("Cancels an unpaid pay-at-kiosk order with a reason; its goods go back on sale.");
        return api;
    }

    private static async Task<Ok<List<HeldLine>>> ListAsync(Guid cooperativeId, OrdersDbContext db, CancellationToken cancellationToken)
    {
        // A card order holds its goods while its payment page is open (an hour at most); a kiosk order until its pickup day closes.
        var orders = await db.Orders.AsNoTracking()
            .Where(o => o.CooperativeId == cooperativeId
                && (o.Status == OrderStatus.AwaitingKioskPayment || o.Status == OrderStatus.AwaitingPayment || o.Status == OrderStatus.ConfirmingPayment))
            .OrderBy(o => o.PlacedAt)
            .Take(MaxOrders)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(orders
            .SelectMany(o => o.Lines.Select(l => new HeldLine(
                o.Id, o.PickupCode, o.Status, o.PaymentMethod, o.Contact.Name, o.Contact.WhatsApp, o.ClientAddress,
                l.ProductId, l.VariantId, l.Name, l.VariantLabel, l.Quantity, o.PickupDate, o.PlacedAt, o.ReservedUntil ?? o.PaymentDeadline)))
            .ToList());
    }

    private static async Task<Results<Ok<OrderResponse>, NotFound>> ReleaseAsync(
        Guid cooperativeId, Guid orderId, ReleaseHoldRequest request, OrderLifecycle lifecycle, CancellationToken cancellationToken)
    {
        var order = await lifecycle.ReleaseHoldAsync(cooperativeId, orderId, request.Reason, cancellationToken);
        return order is null ? TypedResults.NotFound() : TypedResults.Ok(OrderResponses.Describe(order));
    }
}
