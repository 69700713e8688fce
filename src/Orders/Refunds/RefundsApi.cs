using System.Security.Claims;
using Marketplace.Orders.Lifecycle;
using Marketplace.Orders.OrderAggregate;
using Marketplace.Orders.RefundAggregate;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Orders.Refunds;

/// <summary>A kiosk payment is refunded in cash from the open till session <c>tillSessionId</c>.</summary>
public sealed record RefundRequest(IReadOnlyList<RefundLineRequest>? Lines, bool Shipping, Guid? TillSessionId = null);

public sealed record RefundedLineResponse(Guid OrderLineId, Guid MemberId, int Quantity, long AmountRupiah);

public sealed record RefundResponse(
    Guid Id, Guid OrderId, RefundMethod Method, RefundStatus Status, IReadOnlyList<RefundedLineResponse> Lines, long ShippingRupiah, long TotalRupiah, string? FailureReason);

public static class RefundsApi
{
    public static RouteGroupBuilder MapRefundsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/orders/{orderId:guid}/refunds", RefundAsync)
            .RequireAuthorization(MarketplacePolicies.CooperativeAdmin)
            .WithTags("Refunds")
            .WithName("RefundOrder")
            .WithSummary("Refunds lines (and the shipping) of a paid order: by card through Stripe, or in cash at the kiosk from the open till session tillSessionId. "
                + "Send an Idempotency-Key header: a retry with the same key returns the same refund.");
        return api;
    }

    private static async Task<Results<Ok<RefundResponse>, NotFound>> RefundAsync(
        Guid orderId, RefundRequest request, HttpContext http, ClaimsPrincipal user, OrderLifecycle lifecycle, CancellationToken cancellationToken)
    {
        var key = http.Request.Headers["Idempotency-Key"].ToString();
        var refund = await lifecycle.RefundAsync(
            orderId, string.IsNullOrWhiteSpace(key) ? Guid.NewGuid().ToString() : key.Trim(), request.Lines ?? [], request.Shipping,
            order => user.IsAdminOf(order.CooperativeId), cancellationToken, request.TillSessionId, user.UserId()?.ToString() ?? "unknown");
        if (refund is null)
        {
            return TypedResults.NotFound();
        }

        return refund.Status == RefundStatus.Failed
            ? throw new ConflictException($"Stripe refused the refund: {refund.FailureReason}", "refund_failed")
            : TypedResults.Ok(Describe(refund));
    }

    public static RefundResponse Describe(Refund refund)
    {
        ArgumentNullException.ThrowIfNull(refund);
        return new(refund.Id, refund.OrderId, refund.Method, refund.Status,
            refund.Lines.Select(l => new RefundedLineResponse(l.OrderLineId, l.MemberId, l.Quantity, l.AmountRupiah)).ToList(), refund.ShippingRupiah, refund.TotalRupiah, refund.FailureReason);
    }
}
