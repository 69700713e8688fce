using Marketplace.Catalog.Common;
using Marketplace.ServiceDefaults.Errors;

namespace Marketplace.Catalog.Products;

/// <summary>
/// One way a product is sold (e.g. 100 g or 250 g), with its own SKU, price in whole rupiah, weight and stock.
/// Stock is on hand minus what reservations hold; the database refuses any change that would make either
/// negative or hold more than is on hand. After creation, on hand changes only through the stock book's movements.
/// </summary>
public sealed class ProductVariant
{
    public const long MaxPrice = 100_000_000;

    private ProductVariant()
    {
    }

    public Guid Id { get; private set; }

    public Guid ProductId { get; private set; }

    public string Sku { get; private set; } = string.Empty;

    public string Label { get; private set; } = string.Empty;

    public long PriceRupiah { get; private set; }

    public int WeightGrams { get; private set; }

    public int OnHand { get; private set; }

    public int Reserved { get; private set; }

    public bool Active { get; private set; } = true;

    /// <summary>Her member is told when on hand falls to or below this; null for never.</summary>
    public int? LowStockThreshold { get; private set; }

    /// <summary>Whether she was told already and on hand has not risen above the threshold since.</summary>
    public bool LowStockWarned { get; private set; }

    public bool LowStock => LowStockThreshold is { } threshold && OnHand <= threshold;

    public int Available => Math.Max(0, OnHand - Reserved);

    internal static ProductVariant Create(Guid productId, VariantFields input, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(input);
        var errors = new FieldErrors();
        var variant = new ProductVariant
        {
            Id = Guid.CreateVersion7(now),
            ProductId = productId,
            Sku = errors.Check("sku", () => Text.Required(input.Sku, "sku", 40).ToUpperInvariant()) ?? string.Empty,
            Label = errors.Check("label", () => Text.Required(input.Label, "label", 60)) ?? string.Empty,
        };
        errors.Check("priceRupiah", () => variant.SetPrice(input.PriceRupiah));
        errors.Check("weightGrams", () => variant.SetWeight(input.WeightGrams));
        errors.Check("stock", () => variant.SetStock(input.Stock));
        errors.ThrowIfAny();
        return variant;
    }

    internal void SetPrice(long priceRupiah)
    {
        if (priceRupiah is < 500 or > MaxPrice)
        {
            throw new DomainException($"A price is whole rupiah from Rp 500 to Rp {MaxPrice:N0}.", "invalid_price");
        }

        PriceRupiah = priceRupiah;
    }

    internal void SetWeight(int weightGrams)
    {
        if (weightGrams is < 1 or > 30_000)
        {
            throw new DomainException("The shipping weight is 1 to 30000 grams.", "invalid_weight");
        }

        WeightGrams = weightGrams;
    }

    internal void SetStock(int onHand)
    {
        if (onHand is < 0 or > 1_000_000)
        {
            throw new DomainException("Stock on hand is 0 to 1000000.", "invalid_stock");
        }

        if (onHand < Reserved)
        {
            throw new ConflictException($"{Reserved} of this variant are held for orders; stock on hand cannot go below that.", "stock_below_reserved");
        }

        OnHand = onHand;
    }

    internal void Retire() => Active = false;
}

/// <summary>A size as a form sends it. <paramref name="Stock"/> is for the demo's seed only: a member's new size starts at 0 and fills by delivery.</summary>
public sealed record VariantFields(string Sku, string Label, long PriceRupiah, int WeightGrams, int Stock = 0);
