namespace Marketplace.Orders.OrderAggregate;

/// <summary>One product variant of an order, with its price, weight and fee fixed when the order was placed.</summary>
public sealed record OrderLine(
    Guid Id,
    Guid ProductId,
    Guid VariantId,
    Guid MemberId,
    string Category,
    string Name,
    string VariantLabel,
    int Quantity,
    long UnitPriceRupiah,
    int WeightGrams,
    DateTimeOffset? ReadyAt = null,
    DateTimeOffset? FulfilledAt = null,
    int RefundedQuantity = 0,
    decimal FeePercent = 0,
    string? NameEn = null)
{
    public long LineTotalRupiah => UnitPriceRupiah * Quantity;
}
