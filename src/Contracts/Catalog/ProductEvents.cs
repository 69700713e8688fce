namespace Marketplace.Contracts.Catalog;

/// <summary>What a shopper buys: a variant of a product, priced in whole rupiah.</summary>
public sealed record VariantSnapshot(Guid VariantId, string Sku, string Label, long PriceRupiah, int WeightGrams, bool Active);

/// <summary>Everything Orders needs to sell a product without asking Catalog.</summary>
public sealed record ProductSnapshot(
    Guid ProductId,
    Guid CooperativeId,
    Guid MemberId,
    string Category,
    string NameId,
    string? NameEn,
    string? ImageUrl,
    IReadOnlyList<VariantSnapshot> Variants,
    long Revision);

/// <summary>A product went on sale (approved, or its seller reinstated).</summary>
public sealed record ProductPublished(ProductSnapshot Product, DateTimeOffset PublishedAt);

/// <summary>A product on sale changed: price, name, images or variants. Apply only if newer than what you hold.</summary>
public sealed record ProductChanged(ProductSnapshot Product, DateTimeOffset ChangedAt);

/// <summary>A product is no longer on sale: archived, or its seller suspended.</summary>
public sealed record ProductWithdrawn(Guid ProductId, Guid CooperativeId, long Revision, string Reason, DateTimeOffset WithdrawnAt);
