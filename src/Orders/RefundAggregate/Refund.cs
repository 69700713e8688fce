using Marketplace.Contracts.Orders;
using Marketplace.Orders.OrderAggregate;
using Marketplace.ServiceDefaults.Messaging;

namespace Marketplace.Orders.RefundAggregate;

/// <summary>
/// One refund of an order: written before Stripe is asked (its id and key make Stripe's idempotency key), so a crash
/// or a retried request resumes the same refund instead of making a second. A cash refund is settled on the spot; a
/// card refund owes itself a <see cref="CompleteRefund"/> command, so one whose request died is finished anyway.
/// </summary>
public sealed class Refund : AggregateRoot
{
    private Refund()
    {
    }

    public Guid Id { get; private set; }

    public Guid OrderId { get; private set; }

    public Guid CooperativeId { get; private set; }

    /// <summary>The caller's Idempotency-Key: the same key on the same order is the same refund.</summary>
    public string RequestKey { get; private set; } = string.Empty;

    public RefundMethod Method { get; private set; }

    public List<RefundedOrderLine> Lines { get; private set; } = [];

    public long ShippingRupiah { get; private set; }

    public long TotalRupiah { get; private set; }

    public RefundStatus Status { get; private set; }

    public string? StripeRefundId { get; private set; }

    public string? FailureReason { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? CompletedAt { get; private set; }

    /// <summary>PostgreSQL's row version: a request and the <see cref="CompleteRefund"/> consumer cannot both complete it.</summary>
    public uint Version { get; private set; }

    public RefundPlan Plan => new(Lines, ShippingRupiah, TotalRupiah);

    /// <summary>Records a refund <paramref name="plan"/> already reserved on <paramref name="order"/>.</summary>
    public static Refund Start(Order order, string requestKey, RefundPlan plan, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(plan);
        var refund = new Refund
        {
            Id = Guid.CreateVersion7(),
            OrderId = order.Id,
            CooperativeId = order.CooperativeId,
            RequestKey = requestKey,
            // Money goes back the way it came: a card's or an online QRIS/GoPay payment's through Stripe, kiosk takings in cash.
            Method = order.PaymentMethod != PaymentMethod.Card ? RefundMethod.Cash
                : order.PaymentChannel == OrderAggregate.PaymentChannel.Ewallet ? RefundMethod.Ewallet : RefundMethod.Card,
            Lines = [.. plan.Lines],
            ShippingRupiah = plan.ShippingRupiah,
            TotalRupiah = plan.TotalRupiah,
            Status = RefundStatus.Pending,
            CreatedAt = now,
        };
        if (refund.Method == RefundMethod.Cash)
        {
            // Counted out at the kiosk as it is recorded.
            refund.Succeed(null, now);
        }
        else
        {
            refund.Owe(new CompleteRefund(refund.Id), order.Id.ToString());
        }

        return refund;
    }

    /// <summary>The money went back; Settlement reverses the members' shares. False if it was no longer pending.</summary>
    /// <param name="stripeFeeRupiah">The fee on the refund's balance transaction at Stripe, if it is known; Settlement books it as the cooperative's cost.</param>
    public bool Succeed(string? stripeRefundId, DateTimeOffset now, long? stripeFeeRupiah = null)
    {
        if (Status != RefundStatus.Pending)
        {
            return false;
        }

        Status = RefundStatus.Succeeded;
        StripeRefundId = stripeRefundId;
        CompletedAt = now;
        var method = Method switch
        {
            RefundMethod.Card => Contracts.Orders.RefundMethod.Card,
            RefundMethod.Ewallet => Contracts.Orders.RefundMethod.Ewallet,
            _ => Contracts.Orders.RefundMethod.Cash,
        };
        Owe(new OrderRefunded(OrderId, CooperativeId, Id, method,
            Lines.Select(l => new RefundedLine(l.OrderLineId, l.MemberId, l.Quantity, l.AmountRupiah)).ToList(), ShippingRupiah, TotalRupiah, now, stripeFeeRupiah), OrderId.ToString());
        return true;
    }

    /// <summary>Stripe refused it for good; the caller gives the reserved amount back to the order. False if it was no longer pending.</summary>
    public bool Fail(string reason, DateTimeOffset now)
    {
        if (Status != RefundStatus.Pending)
        {
            return false;
        }

        Status = RefundStatus.Failed;
        FailureReason = reason.Length > 300 ? reason[..300] : reason;
        CompletedAt = now;
        return true;
    }
}
