using Marketplace.Contracts.Orders;
using Marketplace.Orders.OrderAggregate;
using Marketplace.ServiceDefaults.Messaging;

namespace Marketplace.Orders.Disputes;

/// <summary>What Stripe says of a dispute now, in whole rupiah (read from Stripe, never from a webhook's payload).</summary>
public sealed record DisputeFacts(
    string Id, string StripeAccountId, string ChargeId, string PaymentIntentId, long AmountRupiah, long FeeRupiah, long ReturnedRupiah,
    string Reason, string Status, DateTimeOffset DueBy)
{
    public bool Closed => Status is DisputeStatuses.Won or DisputeStatuses.Lost;
}

/// <summary>Stripe's dispute statuses that matter here; the warning_* ones (inquiries) are shown as they are.</summary>
public static class DisputeStatuses
{
    public const string NeedsResponse = "needs_response";
    public const string UnderReview = "under_review";
    public const string Won = "won";
    public const string Lost = "lost";
}

/// <summary>
/// A chargeback on an order's card payment, as Stripe last said it was. It flags the order for the admins (amount, reason,
/// the deadline to answer in Stripe's dashboard) and tells Settlement once when it opens and once when it is decided,
/// whatever order Stripe's events come in and however often: each event leads to the same question to Stripe, and
/// the dispute follows the answer.
/// </summary>
public sealed class OrderDispute : AggregateRoot
{
    private OrderDispute()
    {
    }

    /// <summary>Stripe's id, <c>dp_...</c>.</summary>
    public string Id { get; private set; } = string.Empty;

    public Guid OrderId { get; private set; }

    public Guid CooperativeId { get; private set; }

    public string StripeAccountId { get; private set; } = string.Empty;

    public string ChargeId { get; private set; } = string.Empty;

    public long AmountRupiah { get; private set; }

    public long FeeRupiah { get; private set; }

    public long ReturnedRupiah { get; private set; }

    public string Reason { get; private set; } = string.Empty;

    public string Status { get; private set; } = string.Empty;

    public DateTimeOffset DueBy { get; private set; }

    public DateTimeOffset OpenedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public DateTimeOffset? ClosedAt { get; private set; }

    public uint Version { get; private set; }

    public bool Open => ClosedAt is null;

    /// <summary>First heard of: Settlement is told to hold the order's shares, and, if Stripe has already decided it, the outcome too.</summary>
    public static OrderDispute Start(Order order, DisputeFacts facts, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(facts);
        var dispute = new OrderDispute
        {
            Id = facts.Id,
            OrderId = order.Id,
            CooperativeId = order.CooperativeId,
            StripeAccountId = facts.StripeAccountId,
            ChargeId = facts.ChargeId,
            OpenedAt = now,
        };
        dispute.Copy(facts, now);
        dispute.Owe(new OrderDisputeOpened(order.Id, order.CooperativeId, facts.Id, facts.AmountRupiah, facts.FeeRupiah, facts.Reason, facts.DueBy, now), order.Id.ToString());
        dispute.Follow(order, facts, now);
        return dispute;
    }

    /// <summary>
    /// Takes what Stripe says now. Decided for the first time: Settlement is told the outcome, with what a lost dispute
    /// reverses (the lines and shipping not refunded before). A decided dispute never reopens.
    /// </summary>
    public bool Follow(Order order, DisputeFacts facts, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(facts);
        if (ClosedAt is not null)
        {
            return false;
        }

        var changed = Status != facts.Status || DueBy != facts.DueBy || ReturnedRupiah != facts.ReturnedRupiah || FeeRupiah != facts.FeeRupiah;
        Copy(facts, now);
        if (facts.Closed)
        {
            ClosedAt = now;
            var won = facts.Status == DisputeStatuses.Won;
            var lines = won
                ? []
                : order.Lines.Where(l => l.Quantity > l.RefundedQuantity)
                    .Select(l => new RefundedLine(l.Id, l.MemberId, l.Quantity - l.RefundedQuantity, (l.Quantity - l.RefundedQuantity) * l.UnitPriceRupiah))
                    .ToList();
            var shipping = won || order.ShippingRefunded ? 0 : order.ShippingRupiah;
            Owe(new OrderDisputeClosed(OrderId, CooperativeId, Id, won, AmountRupiah, FeeRupiah, ReturnedRupiah, lines, shipping, now), OrderId.ToString());
            return true;
        }

        return changed;
    }

    private void Copy(DisputeFacts facts, DateTimeOffset now)
    {
        AmountRupiah = facts.AmountRupiah;
        FeeRupiah = facts.FeeRupiah;
        ReturnedRupiah = facts.ReturnedRupiah;
        Reason = facts.Reason;
        Status = facts.Status;
        DueBy = facts.DueBy;
        UpdatedAt = now;
    }
}
