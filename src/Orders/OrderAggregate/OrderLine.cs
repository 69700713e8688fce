namespace Marketplace.Orders.OrderAggregate;

/// <summary>One product variant of an order, with its price, weight and fee fixed when the order was placed (and, at the counter, its maker's name).</summary>
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
    string? NameEn = null,
    long? ListPriceRupiah = null,
    string? MakerName = null)
{
    /// <summary>
    /// A walk-in sale sent late from an offline device keeps the price the buyer paid; when the catalogue's price had
    /// changed meanwhile, that price is kept here too, and the line is flagged.
    /// </summary>
    public bool PriceChanged => ListPriceRupiah is { } listed && listed != UnitPriceRupiah;

    public long LineTotalRupiah => UnitPriceRupiah * Quantity;
}
