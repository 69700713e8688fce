using System.Security.Cryptography;
using Marketplace.Catalog.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Catalog.Images;

/// <summary>
/// Where processed images live, addressed by the SHA-256 of their bytes: the same picture is stored once,
/// and a URL that names a hash can be cached forever.
/// </summary>
public interface IImageStore
{
    /// <returns>The content hash (lowercase hex) the image is stored under.</returns>
    Task<string> PutAsync(byte[] content, string contentType, CancellationToken cancellationToken);

    Task<StoredImage?> GetAsync(string hash, CancellationToken cancellationToken);
}

public sealed record StoredImage(string Hash, string ContentType, byte[] Content);

/// <summary>The default store: a table in Catalog's own database, so every replica serves every image.</summary>
public sealed class PostgresImageStore(CatalogDbContext db) : IImageStore
{
    public async Task<string> PutAsync(byte[] content, string contentType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var hash = Convert.ToHexStringLower(SHA256.HashData(content));
        await db.Database.ExecuteSqlAsync(
            $"INSERT INTO catalog.image_blobs (hash, content_type, content, created_at) VALUES ({hash}, {contentType}, {content}, now()) ON CONFLICT (hash) DO NOTHING",
            cancellationToken);
        return hash;
    }

    public async Task<StoredImage?> GetAsync(string hash, CancellationToken cancellationToken) =>
        await db.ImageBlobs.AsNoTracking()
            .Where(b => b.Hash == hash)
            .Select(b => new StoredImage(b.Hash, b.ContentType, b.Content))
            .FirstOrDefaultAsync(cancellationToken);
}

public sealed class ImageBlob
{
    public string Hash { get; set; } = string.Empty;

    public string ContentType { get; set; } = string.Empty;

    public byte[] Content { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }
}

public enum ImageUploadKind
{
    ProductPhoto,
    MemberPhoto,

    /// <summary>A buyer's photo with her review (the owner is the review, i.e. the order line).</summary>
    ReviewPhoto,
}

/// <summary>An upload waiting to be processed. The bytes are deleted once processed: originals are never served.</summary>
public sealed class ImageUpload
{
    public Guid ImageId { get; set; }

    public ImageUploadKind Kind { get; set; }

    /// <summary>The product (for a product photo) or the member (for her profile photo).</summary>
    public Guid OwnerId { get; set; }

    public byte[] Content { get; set; } = [];

    public DateTimeOffset ReceivedAt { get; set; }

    public int Attempts { get; set; }
}

internal sealed class ImageBlobConfiguration : IEntityTypeConfiguration<ImageBlob>
{
    public void Configure(EntityTypeBuilder<ImageBlob> builder)
    {
        builder.ToTable("image_blobs");
        builder.HasKey(b => b.Hash);
        builder.Property(b => b.Hash).HasMaxLength(64);
        builder.Property(b => b.ContentType).HasMaxLength(40);
    }
}

internal sealed class ImageUploadConfiguration : IEntityTypeConfiguration<ImageUpload>
{
    public void Configure(EntityTypeBuilder<ImageUpload> builder)
    {
        builder.ToTable("image_uploads");
        builder.HasKey(u => u.ImageId);
        builder.Property(u => u.ImageId).ValueGeneratedNever();
        builder.Property(u => u.Kind).HasConversion<string>().HasMaxLength(20);
        builder.HasIndex(u => u.ReceivedAt);
    }
}
