using System.Security.Claims;
using Marketplace.Orders.Data;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Identity;
using Marketplace.ServiceDefaults.Messaging;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Orders.Checkout;

public sealed record KioskPaymentRequest(string Method, string? Reference);

/// <summary>The kiosk: find an order by its pickup code, and take payment in cash or by the kiosk's QRIS sticker.</summary>
public static class KioskApi
{
    public static RouteGroupBuilder MapKioskApi(this RouteGroupBuilder api)
    {
        var kiosk = api.MapGroup("/kiosk/{cooperativeId:guid}").WithTags("Kiosk").RequireAuthorization(MarketplacePolicies.CooperativeAdmin);
        kiosk.MapGet("/orders/{pickupCode}", FindAsync)
            .WithName("FindOrderByPickupCode")
            .WithSummary("The cooperative's open order with this pickup code.");
        kiosk.MapPost("/orders/{orderId:guid}/payment", TakePaymentAsync)
            .WithName("TakeKioskPayment")
            .WithSummary("Records payment at the kiosk (cash or QRIS) for a pay-at-kiosk order.");
        return api;
    }

    private static async Task<Results<Ok<OrderResponse>, NotFound>> FindAsync(
        Guid cooperativeId, string pickupCode, ClaimsPrincipal user, OrdersDbContext db, CancellationToken cancellationToken)
    {
        if (!user.IsAdminOf(cooperativeId))
        {
            return TypedResults.NotFound();
        }

        var code = pickupCode.Trim().ToUpperInvariant();
        var order = await db.Orders.AsNoTracking()
            .Where(o => o.CooperativeId == cooperativeId && o.PickupCode == code)
            .OrderByDescending(o => o.PlacedAt)
            .FirstOrDefaultAsync(cancellationToken);
        return order is null ? TypedResults.NotFound() : TypedResults.Ok(CheckoutApi.Describe(order));
    }

    private static async Task<Results<Ok<OrderResponse>, NotFound>> TakePaymentAsync(
        Guid cooperativeId, Guid orderId, KioskPaymentRequest request, ClaimsPrincipal user, OrdersDbContext db, IOutbox outbox, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var order = user.IsAdminOf(cooperativeId)
            ? await db.Orders.FirstOrDefaultAsync(o => o.Id == orderId && o.CooperativeId == cooperativeId, cancellationToken)
            : null;
        if (order is null)
        {
            return TypedResults.NotFound();
        }

        var method = request.Method?.Trim().ToLowerInvariant();
        if (method is not ("cash" or "qris"))
        {
            throw new DomainException("method is cash or qris.", "invalid_method");
        }

        if (order.PaymentMethod != PaymentMethod.Kiosk)
        {
            throw new ConflictException("This order is paid by card, not at the kiosk.", "illegal_transition");
        }

        if (order.Status != OrderStatus.AwaitingKioskPayment)
        {
            throw new ConflictException($"An order that is {order.Status} cannot take a kiosk payment.", "illegal_transition");
        }

        var reference = string.IsNullOrWhiteSpace(request.Reference) ? method : $"{method}:{request.Reference.Trim()}";
        OrderPayment.Record(order, reference[..Math.Min(reference.Length, 100)], outbox, clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(CheckoutApi.Describe(order));
    }
}
