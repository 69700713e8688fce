namespace Marketplace.Catalog.Products;

/// <summary>
/// What a shopper and an admin are told about a product's permits. Food without a valid halal certificate,
/// or with a lapsed permit, stays listed but carries these flags: it is never hidden silently.
/// </summary>
public static class Compliance
{
    /// <summary>Micro and small businesses' food had to be halal certified by this date.</summary>
    public static readonly DateOnly HalalDeadline = new(2026, 10, 17);

    public const string HalalNotCertified = "halal_not_certified";
    public const string HalalExpired = "halal_expired";
    public const string PermitMissing = "permit_missing";
    public const string PirtExpired = "pirt_expired";

    public static IReadOnlyList<string> Flags(string category, ProductListing listing, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(listing);
        var flags = new List<string>();
        if (!ProductCategories.IsFood(category))
        {
            return flags;
        }

        if (listing.HalalCertificateNumber is null)
        {
            flags.Add(HalalNotCertified);
        }
        else if (listing.HalalValidUntil < today)
        {
            flags.Add(HalalExpired);
        }

        if (listing.PirtNumber is null && listing.BpomNumber is null)
        {
            flags.Add(PermitMissing);
        }
        else if (listing.PirtNumber is not null && listing.PirtValidUntil < today && listing.BpomNumber is null)
        {
            flags.Add(PirtExpired);
        }

        return flags;
    }

    public static bool IsHalalCertified(ProductListing listing, DateOnly today) =>
        listing.HalalCertificateNumber is not null && listing.HalalValidUntil >= today;
}
