using System.Text.Json.Serialization;
using Marketplace.ServiceDefaults.Formatting;

namespace Marketplace.Catalog.Products;

[JsonConverter(typeof(CamelCaseEnumConverter<ImageStatus>))]
public enum ImageStatus
{
    Processing,
    Ready,
    Failed,
}

/// <summary>A photo of a product or its packaging: the upload, then the sizes made from it.</summary>
public sealed class ProductImage
{
    private ProductImage()
    {
    }

    public Guid Id { get; private set; }

    public Guid ProductId { get; private set; }

    public int Position { get; private set; }

    public ImageStatus Status { get; private set; }

    public string? Error { get; private set; }

    /// <summary>Rendition name ("640.webp", "640.jpg"...) to the content hash it is stored under.</summary>
    public Dictionary<string, string> Renditions { get; private set; } = [];

    public int? Width { get; private set; }

    public int? Height { get; private set; }

    public DateTimeOffset UploadedAt { get; private set; }

    internal static ProductImage Accept(Guid productId, int position, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        ProductId = productId,
        Position = position,
        Status = ImageStatus.Processing,
        UploadedAt = now,
    };

    public void Completed(IReadOnlyDictionary<string, string> renditions, int width, int height)
    {
        Renditions = new Dictionary<string, string>(renditions);
        Width = width;
        Height = height;
        Status = ImageStatus.Ready;
        Error = null;
    }

    public void Failed(string error)
    {
        Status = ImageStatus.Failed;
        Error = error.Length > 300 ? error[..300] : error;
    }
}
