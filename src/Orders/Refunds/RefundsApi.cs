using System.Security.Claims;
using MassTransit;
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
        var refund = await refunds.StartAsync(order, string.IsNullOrWhiteSpace(key) ? Guid.NewGuid().ToString() : key.Trim(), request.Lines ?? [], request.Shipping, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        refund = await refunds.CompleteAsync(refund.Id, cancellationToken);
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
/// A refund in two steps that survive a crash between them. <see cref="Start"/> reserves it on the order and records
/// it, with a <see cref="CompleteRefund"/> command in the same transaction; <see cref="CompleteAsync"/> then asks
/// Stripe (idempotency key and parameters derived from the order and the caller's key, so any retry reaches the same
/// Stripe refund) and publishes the outcome once: only the caller that moves it out of Pending publishes.
/// </summary>
public sealed class RefundExecutor(OrdersDbContext db, IOutbox outbox, IStripeClient stripe, TimeProvider clock)
{
    /// <summary>Reserves and records a refund (the caller saves). The same key on the same order returns the existing one.</summary>
    public async Task<Refund> StartAsync(Order order, string requestKey, IReadOnlyList<RefundLineRequest> lines, bool shipping, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(lines);
        if (requestKey.Length > 100)
        {
            throw new DomainException("An Idempotency-Key has at most 100 characters.", "invalid_idempotency_key");
        }

        if (lines.Any(l => l is null))
        {
            throw new DomainException("Each refund line needs a lineId and a quantity.", "invalid_line");
        }

        var existing = await db.Refunds.FirstOrDefaultAsync(r => r.OrderId == order.Id && r.RequestKey == requestKey, cancellationToken);
        if (existing is not null)
        {
            return existing;
        }

        var now = clock.GetUtcNow();
        var plan = order.PlanRefund(lines, shipping);
        var method = order.PaymentMethod == Checkout.PaymentMethod.Card ? "card" : "cash";
        var refund = Refund.Start(order.Id, order.CooperativeId, requestKey, method, plan.Lines, plan.Shipping, plan.Total, now);
        db.Refunds.Add(refund);
        if (method == "cash")
        {
            outbox.Publish(refund.Succeed(null, now), orderingKey: order.Id.ToString());
        }
        else
        {
            outbox.Publish(new CompleteRefund(refund.Id), orderingKey: order.Id.ToString());
        }

        return refund;
    }

    /// <summary>Asks Stripe to refund a pending refund and records what it says. Safe to call any number of times.</summary>
    public async Task<Refund> CompleteAsync(Guid refundId, CancellationToken cancellationToken)
    {
        var refund = await db.Refunds.AsNoTracking().FirstAsync(r => r.Id == refundId, cancellationToken);
        if (refund.Status != RefundStatus.Pending)
        {
            return refund;
        }

        var order = await db.Orders.AsNoTracking().FirstAsync(o => o.Id == refund.OrderId, cancellationToken);
        string? stripeRefundId = null;
        string? failure = null;
        try
        {
            var stripeRefund = await new RefundService(stripe).CreateAsync(
                new RefundCreateOptions
                {
                    PaymentIntent = order.PaymentReference,
                    Amount = StripePayments.ToStripeAmount(refund.TotalRupiah),
                    Metadata = new Dictionary<string, string> { ["order_id"] = order.Id.ToString(), ["request"] = refund.RequestKey },
                },
                new RequestOptions { StripeAccount = order.StripeAccountId, IdempotencyKey = $"refund-{order.Id}-{refund.RequestKey}" },
                cancellationToken);
            stripeRefundId = stripeRefund.Id;
        }
        catch (StripeException ex) when (ex.StripeError?.Type is "invalid_request_error" or "card_error")
        {
            // A definite refusal; a network failure or 5xx leaves the refund pending for the next attempt.
            failure = ex.StripeError?.Message ?? ex.Message;
        }

        // A consumer calls this inside its own (inbox) transaction; a request, outside any.
        await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        var now = clock.GetUtcNow();
        var status = failure is null ? RefundStatus.Succeeded : RefundStatus.Failed;
        var moved = await db.Refunds
            .Where(r => r.Id == refundId && r.Status == RefundStatus.Pending)
            .ExecuteUpdateAsync(set => set
                .SetProperty(r => r.Status, status)
                .SetProperty(r => r.StripeRefundId, stripeRefundId)
                .SetProperty(r => r.FailureReason, failure)
                .SetProperty(r => r.CompletedAt, now), cancellationToken);
        if (moved == 1)
        {
            if (failure is null)
            {
                outbox.Publish(new OrderRefunded(refund.OrderId, refund.CooperativeId, refund.Id, refund.Method, refund.Lines, refund.ShippingRupiah, refund.TotalRupiah, now),
                    orderingKey: refund.OrderId.ToString());
            }
            else
            {
                var tracked = await db.Orders.FirstAsync(o => o.Id == refund.OrderId, cancellationToken);
                tracked.UndoRefund(refund.Lines, refund.ShippingRupiah, refund.TotalRupiah);
            }

            await db.SaveChangesAsync(cancellationToken);
        }

        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }

        return await db.Refunds.AsNoTracking().FirstAsync(r => r.Id == refundId, cancellationToken);
    }
}

/// <summary>Finishes refunds whose request did not (a crash, a timeout, a refund started by a consumer).</summary>
public sealed class CompleteRefundConsumer(OrdersDbContext db, RefundExecutor refunds)
    : IdempotentConsumer<CompleteRefund, OrdersDbContext>(db)
{
    protected override async Task HandleAsync(CompleteRefund message, ConsumeContext<CompleteRefund> context, CancellationToken cancellationToken)
    {
        var refund = await refunds.CompleteAsync(message.RefundId, cancellationToken);
        if (refund.Status == RefundStatus.Pending)
        {
            // Stripe did not answer: fail this delivery, so the retry-then-redeliver policy tries again later.
            throw new InvalidOperationException($"Refund {refund.Id} is still pending at Stripe.");
        }
    }
}
