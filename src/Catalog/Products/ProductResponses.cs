using Marketplace.Catalog.Images;

namespace Marketplace.Catalog.Products;

public sealed record VariantResponse(Guid Id, string Sku, string Label, long PriceRupiah, int WeightGrams, int Available, bool Active);

/// <summary>For a member or admin managing a variant: stock as it stands, and whether it is at or below her low-stock threshold.</summary>
public sealed record ManagedVariantResponse(
    Guid Id, string Sku, string Label, long PriceRupiah, int WeightGrams, int OnHand, int Reserved, int Available, bool Active, int? LowStockThreshold = null, bool LowStock = false);

public sealed record ImageResponse(Guid Id, ImageStatus Status, IReadOnlyDictionary<string, string> Urls, int? Width, int? Height, string? Error);

public sealed record ComplianceResponse(bool IsFood, bool HalalCertified, IReadOnlyList<string> Flags);

/// <summary>Her holiday's days (inclusive) while it is planned or under way: meanwhile her products are not shipped.
/// <see cref="Rating"/> is over the approved reviews of all her products (null with none).</summary>
/// <param name="Slug">Her page's address: <c>/pembuat/{slug}</c>.</param>
public sealed record MakerResponse(
    Guid MemberId, string Name, string? BusinessName, string? Village, DateOnly? AwayFrom = null, DateOnly? AwayUntil = null, string? Slug = null,
    Reviews.RatingResponse? Rating = null);

/// <summary>A product as shoppers see it.</summary>
public sealed record ProductResponse(
    Guid Id,
    Guid CooperativeId,
    string Category,
    ListingFields Listing,
    MakerResponse Maker,
    IReadOnlyList<VariantResponse> Variants,
    IReadOnlyList<ImageResponse> Images,
    ComplianceResponse Compliance,
    DateTimeOffset? PublishedAt,
    Reviews.RatingResponse? Rating = null);

/// <summary>A product as its member and her cooperative's admins see it: moderation state included.</summary>
public sealed record ManagedProductResponse(
    Guid Id,
    Guid CooperativeId,
    Guid MemberId,
    string Category,
    ProductStatus Status,
    string? RejectionReason,
    bool OnSale,
    ListingFields Listing,
    ListingFields? PendingListing,
    string? PendingCategory,
    RevisionStatus RevisionStatus,
    string? RevisionRejectionReason,
    IReadOnlyList<ManagedVariantResponse> Variants,
    IReadOnlyList<ImageResponse> Images,
    ComplianceResponse Compliance,
    long Revision);

public static class ProductMapping
{
    public static ComplianceResponse ComplianceOf(Product p, DateOnly today) => ComplianceOf(p.Category, p.Listing, today);

    public static ComplianceResponse ComplianceOf(string category, ProductListing listing, DateOnly today) =>
        new(ProductCategories.IsFood(category), Compliance.IsHalalCertified(listing, today), Compliance.Flags(category, listing, today));

    public static IReadOnlyList<ImageResponse> ImagesOf(Product p) =>
        p.Images.OrderBy(i => i.Position)
            .Select(i => new ImageResponse(i.Id, i.Status, ImageUrls.All(i), i.Width, i.Height, i.Error))
            .ToList();

    /// <summary>The product as shoppers see it; <paramref name="sellable"/> is each size's unexpired stock (see <see cref="Stock.SellableStock"/>).</summary>
    public static ProductResponse ToPublic(Product p, Members.Member? maker, DateOnly today, IReadOnlyDictionary<Guid, int> sellable) => new(
        p.Id,
        p.CooperativeId,
        p.Category,
        p.Listing.ToFields(),
        new MakerResponse(p.MemberId, p.MakerName, maker?.BusinessName, maker?.Village, maker?.HolidayAsOf(today)?.From, maker?.HolidayAsOf(today)?.Until, maker?.Slug),
        p.Variants.Where(v => v.Active).Select(v => new VariantResponse(
            v.Id, v.Sku, v.Label, v.PriceRupiah, v.WeightGrams, Stock.SellableStock.Available(v.OnHand, v.Reserved, sellable.GetValueOrDefault(v.Id)), v.Active)).ToList(),
        ImagesOf(p).Where(i => i.Status == ImageStatus.Ready).ToList(),
        ComplianceOf(p, today),
        p.PublishedAt,
        Reviews.RatingResponse.Of(p.RatingAverage, p.RatingCount));

    public static ManagedProductResponse ToManaged(Product p, DateOnly today) => new(
        p.Id,
        p.CooperativeId,
        p.MemberId,
        p.Category,
        p.Status,
        p.RejectionReason,
        p.OnSale,
        p.Listing.ToFields(),
        p.PendingListing?.ToFields(),
        p.PendingCategory,
        p.RevisionStatus,
        p.RevisionRejectionReason,
        p.Variants.Select(v => new ManagedVariantResponse(v.Id, v.Sku, v.Label, v.PriceRupiah, v.WeightGrams, v.OnHand, v.Reserved, v.Available, v.Active, v.LowStockThreshold, v.LowStock)).ToList(),
        ImagesOf(p),
        ComplianceOf(p, today),
        p.Revision);
}
