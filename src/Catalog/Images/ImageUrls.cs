using Marketplace.Catalog.Products;

namespace Marketplace.Catalog.Images;

/// <summary>Public, immutable image URLs: the path names the content hash, so a cache may keep it forever.</summary>
public static class ImageUrls
{
    public static string Rendition(string hash, string extension) => $"/api/catalog/images/{hash}.{extension}";

    /// <summary>Every rendition of an image by name ("640.webp" to its URL); none until it is processed.</summary>
    public static IReadOnlyDictionary<string, string> All(ProductImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return image.Renditions.ToDictionary(r => r.Key, r => Rendition(r.Value, Path.GetExtension(r.Key).TrimStart('.')));
    }

    /// <summary>The picture a basket line or a list shows: the phone-sized WebP.</summary>
    public static string? Cover(ProductImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return image.Renditions.TryGetValue("320.webp", out var hash) ? Rendition(hash, "webp") : null;
    }
}
