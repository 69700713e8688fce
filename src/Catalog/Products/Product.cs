using System.Text.Json.Serialization;
using Marketplace.Contracts.Catalog;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Formatting;

namespace Marketplace.Catalog.Products;

[JsonConverter(typeof(CamelCaseEnumConverter<ProductStatus>))]
public enum ProductStatus
{
    Draft,
    Submitted,
    Published,
    Rejected,
    Archived,
}

/// <summary>Review state of an edit to a product that is already on sale.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<RevisionStatus>))]
public enum RevisionStatus
{
    None,
    Submitted,
    Rejected,
}

/// <summary>
/// A member's product, sold under her cooperative. Moderation: draft, submitted, then published or rejected
/// (with a reason), and archived at the end. An edit to a published listing waits for review while the
/// published one stays on sale; price and stock changes apply at once.
/// </summary>
public sealed class Product
{
    public const int MaxVariants = 12;
    public const int MaxImages = 10;

    private readonly List<ProductVariant> _variants = [];
    private readonly List<ProductImage> _images = [];

    private Product()
    {
    }

    public Guid Id { get; private set; }

    public Guid CooperativeId { get; private set; }

    public Guid MemberId { get; private set; }

    /// <summary>The maker's display name, kept here so that search finds products by who made them.</summary>
    public string MakerName { get; private set; } = string.Empty;

    public string Category { get; private set; } = string.Empty;

    public ProductStatus Status { get; private set; }

    public string? RejectionReason { get; private set; }

    public ProductListing Listing { get; private set; } = null!;

    public ProductListing? PendingListing { get; private set; }

    public string? PendingCategory { get; private set; }

    public RevisionStatus RevisionStatus { get; private set; }

    public string? RevisionRejectionReason { get; private set; }

    /// <summary>False while the member or her cooperative is suspended: nothing of hers is on sale.</summary>
    public bool SellerActive { get; private set; } = true;

    /// <summary>Published and its seller active: what shoppers see and can buy.</summary>
    public bool OnSale { get; private set; }

    public IReadOnlyList<ProductVariant> Variants => _variants;

    public IReadOnlyList<ProductImage> Images => _images;

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public DateTimeOffset? PublishedAt { get; private set; }

    /// <summary>Grows with every change that shoppers or Orders see; events carry it so newer wins.</summary>
    public long Revision { get; private set; }

    /// <summary>A new product or a published product's edit waits for an admin of its cooperative.</summary>
    public bool AwaitingReview => Status == ProductStatus.Submitted || (Status == ProductStatus.Published && RevisionStatus == RevisionStatus.Submitted);

    /// <summary>The listing an admin reviews: a published product's pending edit, else its own.</summary>
    public ProductListing ListingUnderReview => PendingListing ?? Listing;

    /// <summary>For the search index: the cheapest active variant's price.</summary>
    public long MinPriceRupiah { get; private set; }

    /// <summary>
    /// The average of its approved reviews (two decimals), null with none; written only by <c>ProductRatings</c> in
    /// SQL when a review is approved or taken down, so search can sort by it without reading the reviews.
    /// </summary>
    public decimal? RatingAverage { get; private set; }

    /// <summary>How many approved reviews <see cref="RatingAverage"/> is of.</summary>
    public int RatingCount { get; private set; }

    public static Product CreateDraft(
        Guid cooperativeId,
        Guid memberId,
        string makerName,
        string category,
        ProductListing listing,
        IReadOnlyList<VariantFields> variants,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(variants);
        var errors = new FieldErrors();
        errors.Check("category", () => CheckCategory(category));
        if (variants.Count == 0)
        {
            errors.Add("variants", "no_variants", "A product needs at least one variant (e.g. 250 g) with its price.");
        }
        else if (variants.Count > MaxVariants)
        {
            errors.Add("variants", "too_many_variants", $"A product has at most {MaxVariants} variants.");
        }

        for (var i = 0; i < variants.Count && i < MaxVariants; i++)
        {
            var row = variants[i];
            errors.Check($"variants[{i}]", () => ProductVariant.Create(Guid.Empty, row, now));
        }

        errors.ThrowIfAny();
        var product = new Product
        {
            Id = Guid.CreateVersion7(now),
            CooperativeId = cooperativeId,
            MemberId = memberId,
            MakerName = makerName,
            Category = category,
            Listing = listing,
            Status = ProductStatus.Draft,
            CreatedAt = now,
            UpdatedAt = now,
            Revision = 1,
        };
        foreach (var input in variants)
        {
            product.AddVariant(input, now);
        }

        return product;
    }

    /// <summary>
    /// Changes the listing. A draft or rejected product changes at once (a rejected one becomes a draft again);
    /// a submitted one goes back to draft; a published one keeps selling the old listing until the edit is approved.
    /// </summary>
    public void EditListing(string category, ProductListing listing, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        errors.Check("category", () => CheckCategory(category));
        errors.ThrowIfAny();
        switch (Status)
        {
            case ProductStatus.Draft or ProductStatus.Rejected or ProductStatus.Submitted:
                Listing = listing;
                Category = category;
                Status = ProductStatus.Draft;
                RejectionReason = null;
                break;
            case ProductStatus.Published:
                PendingListing = listing;
                PendingCategory = category;
                RevisionStatus = RevisionStatus.Submitted;
                RevisionRejectionReason = null;
                break;
            default:
                throw new ConflictException("An archived product cannot be edited.", "archived");
        }

        Touch(now);
    }

    public void Submit(DateTimeOffset now)
    {
        if (Status is not (ProductStatus.Draft or ProductStatus.Rejected))
        {
            throw new ConflictException($"Only a draft or rejected product can be submitted; this one is {Status.ToString().ToLowerInvariant()}.", "illegal_transition");
        }

        if (!_variants.Any(v => v.Active))
        {
            throw new DomainException("A product needs at least one variant before review.", "no_variants");
        }

        Status = ProductStatus.Submitted;
        RejectionReason = null;
        Touch(now);
    }

    /// <summary>Approves a submitted product (it goes on sale) or a published product's pending edit.</summary>
    public void Approve(DateTimeOffset now)
    {
        if (Status == ProductStatus.Submitted)
        {
            Status = ProductStatus.Published;
            PublishedAt ??= now;
        }
        else if (Status == ProductStatus.Published && RevisionStatus == RevisionStatus.Submitted && PendingListing is not null)
        {
            Listing = PendingListing;
            Category = PendingCategory ?? Category;
            PendingListing = null;
            PendingCategory = null;
            RevisionStatus = RevisionStatus.None;
        }
        else
        {
            throw new ConflictException("Nothing of this product is waiting for review.", "illegal_transition");
        }

        RecomputeOnSale();
        Touch(now);
    }

    public void Reject(string reason, DateTimeOffset now)
    {
        reason = (reason ?? string.Empty).Trim();
        if (reason.Length is < 5 or > 1000)
        {
            throw new DomainException("Tell the member why, in 5 to 1000 characters.", "reason_required");
        }

        if (Status == ProductStatus.Submitted)
        {
            Status = ProductStatus.Rejected;
            RejectionReason = reason;
        }
        else if (Status == ProductStatus.Published && RevisionStatus == RevisionStatus.Submitted)
        {
            RevisionStatus = RevisionStatus.Rejected;
            RevisionRejectionReason = reason;
        }
        else
        {
            throw new ConflictException("Nothing of this product is waiting for review.", "illegal_transition");
        }

        Touch(now);
    }

    public void Archive(DateTimeOffset now)
    {
        if (Status == ProductStatus.Archived)
        {
            return;
        }

        Status = ProductStatus.Archived;
        PendingListing = null;
        PendingCategory = null;
        RevisionStatus = RevisionStatus.None;
        RecomputeOnSale();
        Touch(now);
    }

    public ProductVariant AddVariant(VariantFields input, DateTimeOffset now)
    {
        if (_variants.Count >= MaxVariants)
        {
            throw new DomainException($"A product has at most {MaxVariants} variants.", "too_many_variants");
        }

        var variant = ProductVariant.Create(Id, input, now);
        if (_variants.Any(v => v.Sku == variant.Sku))
        {
            throw new ConflictException($"This product already has a variant with SKU {variant.Sku}.", "duplicate_sku");
        }

        _variants.Add(variant);
        RecomputeMinPrice();
        Touch(now);
        return variant;
    }

    public void SetPrice(Guid variantId, long priceRupiah, DateTimeOffset now)
    {
        RequireNotArchived();
        Variant(variantId).SetPrice(priceRupiah);
        RecomputeMinPrice();
        Touch(now);
    }

    /// <summary>Checks that stock of this variant may be changed now; the change itself is the stock book's.</summary>
    public void RequireStockChangeable(Guid variantId, DateTimeOffset now)
    {
        RequireNotArchived();
        _ = Variant(variantId);
        UpdatedAt = now;
    }

    public ProductImage AcceptImage(DateTimeOffset now)
    {
        RequireNotArchived();
        if (_images.Count(i => i.Status != ImageStatus.Failed) >= MaxImages)
        {
            throw new DomainException($"A product has at most {MaxImages} photos.", "too_many_images");
        }

        var image = ProductImage.Accept(Id, _images.Count == 0 ? 0 : _images.Max(i => i.Position) + 1, now);
        _images.Add(image);
        UpdatedAt = now;
        return image;
    }

    /// <summary>The member's or her cooperative's standing changed: her products leave or return to sale.</summary>
    public void SetSellerActive(bool active, string makerName, DateTimeOffset now)
    {
        SellerActive = active;
        MakerName = makerName;
        RecomputeOnSale();
        Touch(now);
    }

    /// <summary>Called when an image finished processing, so Orders gets the new picture.</summary>
    public void ImagesChanged(DateTimeOffset now) => Touch(now);

    public ProductSnapshot ToSnapshot(string? imageUrl) => new(
        Id,
        CooperativeId,
        MemberId,
        Category,
        Listing.NameId,
        Listing.NameEn,
        imageUrl,
        _variants.Select(v => new VariantSnapshot(v.Id, v.Sku, v.Label, v.PriceRupiah, v.WeightGrams, v.Active)).ToList(),
        Revision);

    private ProductVariant Variant(Guid variantId) =>
        _variants.FirstOrDefault(v => v.Id == variantId) ?? throw new NotFoundException("This product has no such variant.");

    private void RequireNotArchived()
    {
        if (Status == ProductStatus.Archived)
        {
            throw new ConflictException("An archived product cannot be changed.", "archived");
        }
    }

    private void RecomputeOnSale() => OnSale = Status == ProductStatus.Published && SellerActive;

    private void RecomputeMinPrice() =>
        MinPriceRupiah = _variants.Where(v => v.Active).Select(v => v.PriceRupiah).DefaultIfEmpty(0).Min();

    private void Touch(DateTimeOffset now)
    {
        UpdatedAt = now;
        Revision++;
    }

    private static void CheckCategory(string category)
    {
        if (!ProductCategories.IsKnown(category))
        {
            throw new DomainException($"Unknown category '{category}'. Use one of: {string.Join(", ", ProductCategories.Codes)}.", "invalid_category");
        }
    }
}
