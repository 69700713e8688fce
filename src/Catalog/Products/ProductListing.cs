using Marketplace.Catalog.Common;
using Marketplace.ServiceDefaults.Errors;

namespace Marketplace.Catalog.Products;

/// <summary>
/// What a product's page says: names and descriptions in both languages, its packaging and its permits.
/// A published product's edit is a new listing waiting for review while the old one stays on sale.
/// </summary>
public sealed class ProductListing
{
    public string NameId { get; private set; } = string.Empty;

    public string? NameEn { get; private set; }

    public string DescriptionId { get; private set; } = string.Empty;

    public string? DescriptionEn { get; private set; }

    public string? PackagingType { get; private set; }

    /// <summary>Net weight or volume as printed, e.g. "250 g".</summary>
    public string? NetContent { get; private set; }

    public int? ShelfLifeDays { get; private set; }

    public string? Ingredients { get; private set; }

    public string? Allergens { get; private set; }

    public string? StorageNote { get; private set; }

    public string? PirtNumber { get; private set; }

    public DateOnly? PirtValidUntil { get; private set; }

    public string? BpomNumber { get; private set; }

    public string? HalalCertificateNumber { get; private set; }

    public DateOnly? HalalValidUntil { get; private set; }

    /// <summary>Checks every field and refuses them all at once (<see cref="ValidationFailedException"/>), each at its field.</summary>
    public static ProductListing Create(ListingFields input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var errors = new FieldErrors();
        var listing = new ProductListing
        {
            NameId = errors.Check("nameId", () => Text.Required(input.NameId, "name_id", 120, 3)) ?? string.Empty,
            NameEn = errors.Check("nameEn", () => Text.Optional(input.NameEn, "name_en", 120)),
            DescriptionId = errors.Check("descriptionId", () => Text.Required(input.DescriptionId, "description_id", 4000)) ?? string.Empty,
            DescriptionEn = errors.Check("descriptionEn", () => Text.Optional(input.DescriptionEn, "description_en", 4000)),
            PackagingType = errors.Check("packagingType", () => Text.Optional(input.PackagingType, "packaging_type", 60)),
            NetContent = errors.Check("netContent", () => Text.Optional(input.NetContent, "net_content", 40)),
            ShelfLifeDays = input.ShelfLifeDays,
            Ingredients = errors.Check("ingredients", () => Text.Optional(input.Ingredients, "ingredients", 2000)),
            Allergens = errors.Check("allergens", () => Text.Optional(input.Allergens, "allergens", 500)),
            StorageNote = errors.Check("storageNote", () => Text.Optional(input.StorageNote, "storage_note", 500)),
            PirtNumber = errors.Check("pirtNumber", () => PermitNumbers.NormalizePirt(input.PirtNumber)),
            PirtValidUntil = input.PirtValidUntil,
            BpomNumber = errors.Check("bpomNumber", () => PermitNumbers.NormalizeBpom(input.BpomNumber)),
            HalalCertificateNumber = errors.Check("halalCertificateNumber", () => PermitNumbers.NormalizeHalal(input.HalalCertificateNumber)),
            HalalValidUntil = input.HalalValidUntil,
        };
        if (listing.ShelfLifeDays is < 1 or > 3650)
        {
            errors.Add("shelfLifeDays", "invalid_shelf_life", "Shelf life is 1 to 3650 days.");
        }

        // A permit's number without its expiry: said at the date, even when the number itself was refused.
        if (!string.IsNullOrWhiteSpace(input.PirtNumber) && listing.PirtValidUntil is null)
        {
            errors.Add("pirtValidUntil", "pirt_expiry_missing", "Give the date the P-IRT permit is valid until.");
        }

        if (!string.IsNullOrWhiteSpace(input.HalalCertificateNumber) && listing.HalalValidUntil is null)
        {
            errors.Add("halalValidUntil", "halal_expiry_missing", "Give the date the halal certificate is valid until.");
        }

        errors.ThrowIfAny();
        return listing;
    }

    /// <summary>Stands in for a refused listing while the rest of a request is checked; never saved.</summary>
    internal static ProductListing Placeholder { get; } = new();

    public ListingFields ToFields() => new(
        NameId, NameEn, DescriptionId, DescriptionEn, PackagingType, NetContent, ShelfLifeDays, Ingredients, Allergens, StorageNote,
        PirtNumber, PirtValidUntil, BpomNumber, HalalCertificateNumber, HalalValidUntil);
}

/// <summary>
/// A listing's fields: what a member writes (checked and normalised by <see cref="ProductListing.Create"/>)
/// and what a page shows.
/// </summary>
public sealed record ListingFields(
    string NameId,
    string? NameEn,
    string DescriptionId,
    string? DescriptionEn,
    string? PackagingType,
    string? NetContent,
    int? ShelfLifeDays,
    string? Ingredients,
    string? Allergens,
    string? StorageNote,
    string? PirtNumber,
    DateOnly? PirtValidUntil,
    string? BpomNumber,
    string? HalalCertificateNumber,
    DateOnly? HalalValidUntil);
