namespace Marketplace.Orders.Settlement.Ledger;

/// <summary>One sold order line as the books know it: the split of its money, and how much was refunded since.</summary>
public sealed class SaleLine
{
    private SaleLine()
    {
    }

    public Guid OrderLineId { get; private set; }

    public Guid OrderId { get; private set; }

    public Guid CooperativeId { get; private set; }

    public Guid MemberId { get; private set; }

    /// <summary>The product sold; null only on lines booked before the books kept it (their product is known by name).</summary>
    public Guid? ProductId { get; private set; }

    public Guid? VariantId { get; private set; }

    public string Category { get; private set; } = string.Empty;

    public string Name { get; private set; } = string.Empty;

    public SaleChannel Channel { get; private set; }

    public int Quantity { get; private set; }

    public long GrossRupiah { get; private set; }

    public long FeeRupiah { get; private set; }

    public long ShareRupiah { get; private set; }

    public int RefundedQuantity { get; private set; }

    public long RefundedFeeRupiah { get; private set; }

    public long RefundedShareRupiah { get; private set; }

    public DateTimeOffset SoldAt { get; private set; }

    public DateTimeOffset? FulfilledAt { get; private set; }

    /// <summary>When the member's share becomes available: the hand-over plus the cooperative's holding period.</summary>
    public DateTimeOffset? AvailableFrom { get; private set; }

    /// <summary>When the share moved to available; until then a refund takes it back from pending.</summary>
    public DateTimeOffset? ReleasedAt { get; private set; }

    /// <summary>
    /// PostgreSQL's row version: two refunds of one line (or a refund and its hand-over) handled at once cannot both
    /// start from the same refunded quantity; the later one is retried on what the first left.
    /// </summary>
    public uint Version { get; private set; }

    /// <summary>The member's share held while the order's card payment is disputed (in <c>member:disputed</c>).</summary>
    public long HeldForDisputeRupiah { get; private set; }

    /// <summary>The member's share still owed on this line and not held for a dispute (after refunds).</summary>
    public long OpenShareRupiah => ShareRupiah - RefundedShareRupiah - HeldForDisputeRupiah;

    /// <summary>The line's money split by <see cref="SaleLineSplit.Of"/> at the fee percentage the order carried.</summary>
    public static SaleLine Sell(Contracts.Orders.SoldLine line, Guid orderId, Guid cooperativeId, SaleChannel channel, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(line);
        var split = SaleLineSplit.Of(line.LineTotalRupiah, line.FeePercent);
        return new SaleLine
        {
            OrderLineId = line.OrderLineId,
            OrderId = orderId,
            CooperativeId = cooperativeId,
            MemberId = line.MemberId,
            ProductId = line.ProductId,
            VariantId = line.VariantId,
            Category = line.Category,
            Name = line.Name,
            Channel = channel,
            Quantity = line.Quantity,
            GrossRupiah = line.LineTotalRupiah,
            FeeRupiah = split.FeeRupiah,
            ShareRupiah = split.ShareRupiah,
            SoldAt = at,
        };
    }

    /// <summary>The line reached the shopper: her share becomes payable after <paramref name="holding"/>. False when it already had.</summary>
    public bool Fulfil(DateTimeOffset at, TimeSpan holding)
    {
        if (FulfilledAt is not null)
        {
            return false;
        }

        FulfilledAt = at;
        AvailableFrom = FulfilledAt + holding;
        return true;
    }

    public void Release(DateTimeOffset at) => ReleasedAt ??= at;

    /// <summary>Reverses <paramref name="quantity"/> units as <see cref="SaleLineSplit.Refund"/> says.</summary>
    public SaleLineSplit Refund(int quantity, long grossRupiah)
    {
        if (quantity <= 0 || RefundedQuantity + quantity > Quantity)
        {
            throw new InvalidOperationException($"Line {OrderLineId} cannot take back {quantity} more units.");
        }

        var split = SaleLineSplit.Refund(FeeRupiah, Quantity, RefundedQuantity, RefundedFeeRupiah, quantity, grossRupiah);
        RefundedQuantity += quantity;
        RefundedFeeRupiah += split.FeeRupiah;
        RefundedShareRupiah += split.ShareRupiah;
        return split;
    }

    /// <summary>A dispute opened: the open share is held (from pending, or from available once released). Returns what was held.</summary>
    public long HoldForDispute()
    {
        var held = OpenShareRupiah;
        HeldForDisputeRupiah += held;
        return held;
    }

    /// <summary>The dispute was won: the held share is owed again. Returns what was released.</summary>
    public long ReleaseDispute()
    {
        var released = HeldForDisputeRupiah;
        HeldForDisputeRupiah = 0;
        return released;
    }

    /// <summary>
    /// The dispute was lost: <paramref name="quantity"/> units are reversed as a refund (<see cref="Refund"/>). Returns the
    /// split and what was held: the held share leaves the held account whole; the share reversed less it is taken from
    /// (or, when a refund overtook the dispute, given back to) what she is owed.
    /// </summary>
    public (SaleLineSplit Split, long Held) LoseDispute(int quantity, long grossRupiah)
    {
        var held = HeldForDisputeRupiah;
        HeldForDisputeRupiah = 0;
        var split = Refund(quantity, grossRupiah);
        return (split, held);
    }

    /// <summary>
    /// A refund of a line held for a dispute (the refund was made before the dispute, its message came after): its share
    /// comes out of what was held first. Returns that part.
    /// </summary>
    public long TakeFromHeld(long shareRupiah)
    {
        var taken = Math.Min(HeldForDisputeRupiah, shareRupiah);
        HeldForDisputeRupiah -= taken;
        return taken;
    }
}
