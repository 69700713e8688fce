using System.Security.Claims;
using Marketplace.Contracts.Orders;
using Marketplace.Orders.Checkout;
using Marketplace.Orders.Data;
using Marketplace.Orders.Payments;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Identity;
using Marketplace.ServiceDefaults.Messaging;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Stripe;

namespace Marketplace.Orders.Refunds;

public sealed record RefundRequest(IReadOnlyList<RefundLineRequest>? Lines, bool Shipping);

public sealed record RefundResponse(Guid Id, Guid OrderId, string Method, string Status, IReadOnlyList<RefundedLine> Lines, long ShippingRupiah, long TotalRupiah, string? FailureReason);

public static class RefundsApi
{
    public static RouteGroupBuilder MapRefundsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/orders/{orderId:guid}/refunds", RefundAsync)
            .RequireAuthorization(MarketplacePolicies.CooperativeAdmin)
            .WithTags("Refunds")
            .WithName("RefundOrder")
            .WithSummary("Refunds lines (and the shipping) of a paid order: by card through Stripe, or recorded as cash at the kiosk. "
                + "Send an Idempotency-Key header: a retry with the same key returns the same refund.");
        return api;
    }

    private static async Task<Results<Ok<RefundResponse>, NotFound>> RefundAsync(
        Guid orderId, RefundRequest request, HttpContext http, ClaimsPrincipal user, OrdersDbContext db, RefundExecutor refunds, CancellationToken cancellationToken)
    {
        var order = await db.Orders.FirstOrDefaultAsync(o => o.Id == orderId, cancellationToken);
        if (order is null || !user.IsAdminOf(order.CooperativeId))
        {
            return TypedResults.NotFound();
        }

        var key = http.Request.Headers["Idempotency-Key"].ToString();
        var refund = await refunds.RefundAsync(order, string.IsNullOrWhiteSpace(key) ? Guid.NewGuid().ToString() : key.Trim(), request.Lines ?? [], request.Shipping, cancellationToken);
        return refund.Status == RefundStatus.Failed
            ? throw new ConflictException($"Stripe refused the refund: {refund.FailureReason}", "refund_failed")
            : TypedResults.Ok(Describe(refund));
    }

    public static RefundResponse Describe(Refund refund)
    {
        ArgumentNullException.ThrowIfNull(refund);
        return new(refund.Id, refund.OrderId, refund.Method, refund.Status.ToString(), refund.Lines, refund.ShippingRupiah, refund.TotalRupiah, refund.FailureReason);
    }
}

/// <summary>
/// Runs a refund in three steps that survive a crash between any two: reserve it on the order and record it
/// (one transaction), ask Stripe with the refund's id as idempotency key, then record the outcome and publish it.
/// </summary>
public sealed class RefundExecutor(OrdersDbContext db, IOutbox outbox, IStripeClient stripe, TimeProvider clock)
{
    public async Task<Refund> RefundAsync(Order order, string requestKey, IReadOnlyList<RefundLineRequest> lines, bool shipping, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        if (requestKey.Length > 100)
        {
            throw new DomainException("An Idempotency-Key has at most 100 characters.", "invalid_idempotency_key");
        }

        var refund = await db.Refunds.FirstOrDefaultAsync(r => r.OrderId == order.Id && r.RequestKey == requestKey, cancellationToken);
        if (refund is null)
        {
            var now = clock.GetUtcNow();
            var plan = order.PlanRefund(lines, shipping);
            var method = order.PaymentMethod == Checkout.PaymentMethod.Card ? "card" : "cash";
            refund = Refund.Start(order.Id, order.CooperativeId, requestKey, method, plan.Lines, plan.Shipping, plan.Total, now);
            db.Refunds.Add(refund);
            if (method == "cash")
            {
                outbox.Publish(refund.Succeed(null, now), orderingKey: order.Id.ToString());
            }

            // The order's row version makes a concurrent refund of the same money fail here rather than both pass.
            await db.SaveChangesAsync(cancellationToken);
        }

        if (refund.Status != RefundStatus.Pending)
        {
            return refund;
        }

        var merchant = await db.Merchants.AsNoTracking().FirstAsync(m => m.CooperativeId == order.CooperativeId, cancellationToken);
        try
        {
            var stripeRefund = await new RefundService(stripe).CreateAsync(
                new RefundCreateOptions
                {
                    PaymentIntent = order.PaymentReference,
                    Amount = StripePayments.ToStripeAmount(refund.TotalRupiah),
                    Metadata = new Dictionary<string, string> { ["order_id"] = order.Id.ToString(), ["refund_id"] = refund.Id.ToString() },
                },
                // Derived from the order and the caller's key, not the row's id: if the row is lost with a rolled-back
                // transaction, the retry still reaches the same Stripe refund.
                new RequestOptions { StripeAccount = merchant.StripeAccountId, IdempotencyKey = $"refund-{order.Id}-{refund.RequestKey}" },
                cancellationToken);
            outbox.Publish(refund.Succeed(stripeRefund.Id, clock.GetUtcNow()), orderingKey: order.Id.ToString());
        }
        catch (StripeException ex) when (ex.StripeError?.Type is "invalid_request_error" or "card_error")
        {
            // A definite refusal (not a network failure, which leaves the refund pending for a retry).
            refund.Fail(ex.StripeError?.Message ?? ex.Message, clock.GetUtcNow());
            order.UndoRefund(refund.Lines, refund.ShippingRupiah, refund.TotalRupiah);
        }

        await db.SaveChangesAsync(cancellationToken);
        return refund;
    }
}
