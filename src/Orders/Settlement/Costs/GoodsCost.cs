namespace Marketplace.Orders.Settlement.Costs;

/// <summary>
/// What the goods of one product size in one order cost their member (HPP), as Catalog took them from (or put them back
/// into) their batches. A sale counts positive, a restock after a cancellation negative, so the sum over an order is
/// what the goods that stayed sold cost. Both are dated by the sale they belong to, so a restock reverses the cost in
/// the month of its sale, as a refund does the omzet.
/// </summary>
public sealed class GoodsCost
{
    private GoodsCost()
    {
    }

    public long Id { get; private set; }

    public Guid CooperativeId { get; private set; }

    public Guid OrderId { get; private set; }

    public Guid VariantId { get; private set; }

    public Guid ProductId { get; private set; }

    public Guid MemberId { get; private set; }

    public GoodsCostKind Kind { get; private set; }

    /// <summary>The counter refund goods came back by (<see cref="GoodsCostKind.Returned"/>); empty for the others.</summary>
    public Guid RefundId { get; private set; }

    /// <summary>Units sold (positive) or restocked (negative).</summary>
    public int Quantity { get; private set; }

    /// <summary>Whole rupiah: positive for goods sold, negative for goods put back.</summary>
    public long CostRupiah { get; private set; }

    /// <summary>False when some of the goods came from a batch whose cost the member never recorded (counted as 0).</summary>
    public bool CostKnown { get; private set; }

    /// <summary>When the order was sold: the day and month the cost counts in.</summary>
    public DateTimeOffset SoldAt { get; private set; }

    /// <summary>When the stock moved.</summary>
    public DateTimeOffset At { get; private set; }

    public static GoodsCost Of(Guid cooperativeId, Guid orderId, Contracts.Catalog.CostedLine line, GoodsCostKind kind, DateTimeOffset soldAt, DateTimeOffset at, Guid refundId = default)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (line.Quantity < 0 || line.CostRupiah < 0)
        {
            throw new InvalidOperationException($"Order {orderId}: a costed line carries a negative quantity or cost.");
        }

        var sign = kind == GoodsCostKind.Sold ? 1 : -1;
        return new GoodsCost
        {
            CooperativeId = cooperativeId,
            OrderId = orderId,
            VariantId = line.VariantId,
            ProductId = line.ProductId,
            MemberId = line.MemberId,
            Kind = kind,
            RefundId = refundId,
            Quantity = sign * line.Quantity,
            CostRupiah = sign * line.CostRupiah,
            CostKnown = line.CostKnown,
            SoldAt = soldAt,
            At = at,
        };
    }
}

public enum GoodsCostKind
{
    Sold,
    Restocked,

    /// <summary>Goods of a walk-in sale brought back over the counter (one refund): their cost comes off, in the sale's month.</summary>
    Returned,
}
