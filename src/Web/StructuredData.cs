using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using Marketplace.Web.Api;

namespace Marketplace.Web;

/// <summary>
/// schema.org data for search engines and link previews, as the JSON of a <c>&lt;script type="application/ld+json"&gt;</c>.
/// Built as a JSON tree and written by System.Text.Json, whose encoder writes <c>&lt;</c>, <c>&gt;</c> and <c>&amp;</c> as
/// <c>\u003C</c>...: a maker's text saying <c>&lt;/script&gt;</c> cannot end the script and become markup.
/// </summary>
public static class StructuredData
{
    private static readonly JsonSerializerOptions Options = new()
    {
        // Indonesian text stays readable; the HTML-sensitive characters are escaped whatever the ranges allowed.
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };

    /// <summary>The JSON, safe to place inside a script element.</summary>
    public static string Write(JsonObject data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var json = data.ToJsonString(Options);
        // The encoder already escapes '<'; this keeps the promise should the encoder ever be swapped for a relaxed one.
        return json.Replace("</", "<\\/", StringComparison.Ordinal);
    }

    /// <summary>The whole element, for a page to place as markup.</summary>
    public static string Script(JsonObject data) => $"<script type=\"application/ld+json\">{Write(data)}</script>";

    internal static string Absolute(Uri page, string path) => new Uri(page, path).ToString();
}

/// <summary>
/// A product page's schema.org <c>Product</c>: name, photos, description, the maker as brand and manufacturer, an
/// <c>Offer</c> (one size) or <c>AggregateOffer</c> (several) in rupiah sold by the cooperative, and
/// <c>AggregateRating</c> only when approved reviews exist: a rating of nothing would be a false claim.
/// </summary>
public static class ProductStructuredData
{
    /// <summary>The average of a product's approved reviews and how many there are.</summary>
    public sealed record Rating(decimal Average, int Count);

    /// <param name="product">The product as the page shows it.</param>
    /// <param name="name">Its name in the page's language.</param>
    /// <param name="description">Its description in the page's language.</param>
    /// <param name="page">The product page's absolute address (its canonical one).</param>
    /// <param name="seller">The cooperative, the merchant of record; left out when Catalog could not say it.</param>
    /// <param name="rating">Its approved reviews; null (or none counted) gives no rating at all.</param>
    public static JsonObject Build(Product product, string name, string description, Uri page, Cooperative? seller, Rating? rating = null)
    {
        ArgumentNullException.ThrowIfNull(product);
        ArgumentNullException.ThrowIfNull(page);
        var url = page.ToString();
        var sizes = product.Variants.Where(v => v.Active).ToList();
        var data = new JsonObject
        {
            ["@context"] = "https://schema.org",
            ["@type"] = "Product",
            ["name"] = name,
            ["url"] = url,
            ["description"] = description,
            ["category"] = product.Category,
        };

        var images = new JsonArray();
        foreach (var image in product.Images)
        {
            if (image.Urls.TryGetValue("1280.jpg", out var large) || image.Urls.TryGetValue("640.jpg", out large))
            {
                images.Add(StructuredData.Absolute(page, large));
            }
        }

        if (images.Count > 0)
        {
            data["image"] = images;
        }

        if (sizes.Count == 1)
        {
            data["sku"] = sizes[0].Sku;
        }

        data["brand"] = new JsonObject { ["@type"] = "Brand", ["name"] = product.Maker.BusinessName ?? product.Maker.Name };
        data["manufacturer"] = Maker(product.Maker, page);

        var sellerNode = seller is null ? null : Seller(seller, page);
        if (sizes.Count == 1)
        {
            data["offers"] = Offer(sizes[0], url, sellerNode);
        }
        else if (sizes.Count > 1)
        {
            var offers = new JsonArray();
            foreach (var size in sizes)
            {
                offers.Add(Offer(size, url, sellerNode?.DeepClone()));
            }

            var aggregate = new JsonObject
            {
                ["@type"] = "AggregateOffer",
                ["priceCurrency"] = "IDR",
                ["lowPrice"] = sizes.Min(v => v.PriceRupiah),
                ["highPrice"] = sizes.Max(v => v.PriceRupiah),
                ["offerCount"] = sizes.Count,
                ["availability"] = Availability(sizes.Any(v => v.Available > 0)),
                ["url"] = url,
            };
            if (sellerNode is not null)
            {
                aggregate["seller"] = sellerNode;
            }

            aggregate["offers"] = offers;
            data["offers"] = aggregate;
        }

        if (rating is { Count: > 0 })
        {
            data["aggregateRating"] = new JsonObject
            {
                ["@type"] = "AggregateRating",
                ["ratingValue"] = decimal.Round(rating.Average, 1, MidpointRounding.AwayFromZero),
                ["reviewCount"] = rating.Count,
                ["bestRating"] = 5,
                ["worstRating"] = 1,
            };
        }

        return data;
    }

    private static JsonObject Offer(Variant size, string url, JsonNode? seller)
    {
        var offer = new JsonObject
        {
            ["@type"] = "Offer",
            ["name"] = size.Label,
            ["sku"] = size.Sku,
            // Whole rupiah: the price as the page shows it, never a fraction.
            ["price"] = size.PriceRupiah,
            ["priceCurrency"] = "IDR",
            ["availability"] = Availability(size.Available > 0),
            ["itemCondition"] = "https://schema.org/NewCondition",
            ["url"] = url,
        };
        if (seller is not null)
        {
            offer["seller"] = seller;
        }

        return offer;
    }

    private static string Availability(bool inStock) => inStock ? "https://schema.org/InStock" : "https://schema.org/OutOfStock";

    private static JsonObject Maker(Maker maker, Uri page)
    {
        var person = new JsonObject { ["@type"] = "Person", ["name"] = maker.Name };
        if (maker.Slug is { } slug)
        {
            person["url"] = StructuredData.Absolute(page, Paths.Maker(slug));
        }

        return person;
    }

    private static JsonObject Seller(Cooperative cooperative, Uri page) => new()
    {
        ["@type"] = "Organization",
        ["name"] = cooperative.Name,
        ["url"] = StructuredData.Absolute(page, Paths.Cooperative(cooperative.Slug)),
    };
}

/// <summary>
/// A maker's page as schema.org: a <c>Person</c>, or the <c>Organization</c> of her business name when she has one, with
/// her cooperative as the organisation she belongs to.
/// </summary>
public static class MakerStructuredData
{
    public static JsonObject Build(MakerProfile maker, string? story, Uri page)
    {
        ArgumentNullException.ThrowIfNull(maker);
        ArgumentNullException.ThrowIfNull(page);
        var data = new JsonObject
        {
            ["@context"] = "https://schema.org",
            ["@type"] = maker.BusinessName is null ? "Person" : "Organization",
            ["name"] = maker.BusinessName ?? maker.DisplayName,
            ["url"] = page.ToString(),
        };
        if (maker.BusinessName is not null)
        {
            data["founder"] = new JsonObject { ["@type"] = "Person", ["name"] = maker.DisplayName };
        }

        if (story is not null)
        {
            data["description"] = story;
        }

        if (maker.PhotoUrl is not null)
        {
            data["image"] = StructuredData.Absolute(page, maker.PhotoUrl);
        }

        if (maker.Village is not null)
        {
            data["address"] = new JsonObject { ["@type"] = "PostalAddress", ["addressLocality"] = maker.Village, ["addressCountry"] = "ID" };
        }

        data[maker.BusinessName is null ? "memberOf" : "parentOrganization"] = new JsonObject
        {
            ["@type"] = "Organization",
            ["name"] = maker.Cooperative.Name,
            ["url"] = StructuredData.Absolute(page, Paths.Cooperative(maker.Cooperative.Slug)),
        };
        return data;
    }
}
