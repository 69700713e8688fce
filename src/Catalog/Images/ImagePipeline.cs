using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Memory;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace Marketplace.Catalog.Images;

/// <summary>One size of a processed photo, ready to store.</summary>
public sealed record Rendition(string Name, string ContentType, byte[] Content);

/// <summary>
/// Turns an accepted upload into what shoppers get: upright (EXIF orientation applied), with EXIF, IPTC and
/// XMP removed (no GPS position leaks), in a few widths for phones and desktops, each as WebP and a JPEG fallback.
/// </summary>
public sealed class ImagePipeline
{
    /// <summary>Size classes made from each photo, by maximum width; a smaller photo is not enlarged.</summary>
    public static readonly int[] Widths = [320, 640, 1280];

    private readonly Configuration _configuration;
    private readonly WebpEncoder _webp = new() { Quality = 78, FileFormat = WebpFileFormatType.Lossy, Method = WebpEncodingMethod.Level4 };
    private readonly JpegEncoder _jpeg = new() { Quality = 80 };

    public ImagePipeline()
    {
        _configuration = Configuration.Default.Clone();
        // A hostile file that slipped past the header check still cannot take more than this.
        _configuration.MemoryAllocator = MemoryAllocator.Create(new MemoryAllocatorOptions
        {
            MaximumPoolSizeMegabytes = 64,
            AllocationLimitMegabytes = 512,
        });
    }

    public (IReadOnlyList<Rendition> Renditions, int Width, int Height) Process(byte[] content)
    {
        using var image = Image.Load<Rgba32>(_configuration, content);
        image.Mutate(x => x.AutoOrient());
        StripMetadata(image);

        var renditions = new List<Rendition>();
        // Every size class is always there ("320.webp" is at most 320 wide), so pages can rely on the names.
        // Each size is made from the next larger one: far less work than resizing the original every time.
        Image<Rgba32> source = image;
        try
        {
            foreach (var sizeClass in Widths.OrderDescending())
            {
                var width = Math.Min(sizeClass, source.Width);
                var resized = source.Width == width ? source.Clone() : source.Clone(x => x.Resize(new ResizeOptions
                {
                    Size = new Size(width, 0),
                    Mode = ResizeMode.Max,
                    Sampler = KnownResamplers.Bicubic,
                }));
                StripMetadata(resized);
                renditions.Add(new Rendition($"{sizeClass}.webp", "image/webp", Encode(resized, _webp)));
                renditions.Add(new Rendition($"{sizeClass}.jpg", "image/jpeg", Encode(resized, _jpeg)));
                if (!ReferenceEquals(source, image))
                {
                    source.Dispose();
                }

                source = resized;
            }
        }
        finally
        {
            if (!ReferenceEquals(source, image))
            {
                source.Dispose();
            }
        }

        return (renditions, image.Width, image.Height);
    }

    private static byte[] Encode(Image<Rgba32> image, SixLabors.ImageSharp.Formats.IImageEncoder encoder)
    {
        using var output = new MemoryStream();
        image.Save(output, encoder);
        return output.ToArray();
    }

    private static void StripMetadata(Image image)
    {
        image.Metadata.ExifProfile = null;
        image.Metadata.IptcProfile = null;
        image.Metadata.XmpProfile = null;
        foreach (var frame in image.Frames)
        {
            frame.Metadata.ExifProfile = null;
            frame.Metadata.IptcProfile = null;
            frame.Metadata.XmpProfile = null;
        }
    }
}
