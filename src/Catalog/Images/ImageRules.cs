using Marketplace.ServiceDefaults.Errors;
using SixLabors.ImageSharp;

namespace Marketplace.Catalog.Images;

/// <summary>
/// What an upload must be before any pixel is decoded: JPEG, PNG or WebP by its first bytes, at most
/// 15 MB, and at most 40 megapixels by its header. Anything else is refused at once, costing no memory.
/// </summary>
public static class ImageRules
{
    public const long MaxBytes = 15 * 1024 * 1024;
    public const long MaxPixels = 40_000_000;
    public const int MaxSide = 20_000;

    public static string SniffFormat(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF)
        {
            return "jpeg";
        }

        if (head.Length >= 8 && head[..8].SequenceEqual((byte[])[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return "png";
        }

        if (head.Length >= 12 && head[..4].SequenceEqual("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8))
        {
            return "webp";
        }

        throw new DomainException("Only JPEG, PNG and WebP photos are accepted.", "unsupported_image_type");
    }

    /// <summary>Reads the header only and checks the dimensions it claims.</summary>
    public static (int Width, int Height) CheckDimensions(byte[] content)
    {
        IImageInfo? info;
        try
        {
            info = Image.Identify(content);
        }
        catch (Exception ex) when (ex is ImageFormatException or InvalidImageContentException or NotSupportedException or UnknownImageFormatException)
        {
            throw new DomainException("The photo could not be read; it may be damaged.", "unreadable_image");
        }

        if (info is null || info.Width <= 0 || info.Height <= 0)
        {
            throw new DomainException("The photo could not be read; it may be damaged.", "unreadable_image");
        }

        if (info.Width > MaxSide || info.Height > MaxSide || (long)info.Width * info.Height > MaxPixels)
        {
            throw new DomainException($"The photo is {info.Width}x{info.Height}; at most 40 megapixels are accepted.", "image_too_large");
        }

        return (info.Width, info.Height);
    }
}
