namespace Marketplace.Catalog.Labels;

public sealed class ProductLinkOptions
{
    /// <summary>The storefront's public address; product QR codes point at its product pages.</summary>
    public string PublicBaseUrl { get; set; } = "http://127.0.0.1:8080";
}

public static class ProductLinks
{
    /// <summary>The shareable page of a product, as printed in its QR code.</summary>
    public static string PageOf(ProductLinkOptions options, Guid productId)
    {
        ArgumentNullException.ThrowIfNull(options);
        return $"{options.PublicBaseUrl.TrimEnd('/')}/produk/{productId}";
    }
}
