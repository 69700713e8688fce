using System.Diagnostics;
using Marketplace.Catalog.Images;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace Marketplace.Catalog.Benchmarks;

/// <summary>
/// The catalog's image pipeline against a bare ImageSharp loop that does the same work (decode, orient,
/// three sizes, WebP and JPEG each), alternating rounds so both see the same machine load.
/// </summary>
internal static class ImageBenchmark
{
    public static void Run(int rounds)
    {
        var photo = PhonePhoto(4000, 3000);
        var megapixels = 4000 * 3000 / 1_000_000.0;
        var pipeline = new ImagePipeline();

        // Warm up both paths (JIT, pools).
        pipeline.Process(photo);
        Bare(photo);

        var ours = new List<double>();
        var bare = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            var watch = Stopwatch.StartNew();
            pipeline.Process(photo);
            ours.Add(megapixels / watch.Elapsed.TotalSeconds);

            watch.Restart();
            Bare(photo);
            bare.Add(megapixels / watch.Elapsed.TotalSeconds);
        }

        var (oursMedian, _, _) = Stats.Of(ours);
        var (bareMedian, _, _) = Stats.Of(bare);
        Console.WriteLine();
        Console.WriteLine("| Image work on a 12 MP phone photo | megapixels/s (median) |");
        Console.WriteLine("| --- | ---: |");
        Console.WriteLine($"| Catalog image pipeline | {oursMedian:F2} |");
        Console.WriteLine($"| Bare ImageSharp loop, same work | {bareMedian:F2} |");
        Console.WriteLine($"| Ratio (pipeline / bare) | {oursMedian / bareMedian:F2} |");
    }

    private static void Bare(byte[] content)
    {
        using var image = Image.Load<Rgba32>(content);
        image.Mutate(x => x.AutoOrient());
        image.Metadata.ExifProfile = null;
        Image<Rgba32> source = image;
        foreach (var width in new[] { 1280, 640, 320 })
        {
            var resized = source.Clone(x => x.Resize(new ResizeOptions { Size = new Size(Math.Min(width, source.Width), 0), Mode = ResizeMode.Max, Sampler = KnownResamplers.Bicubic }));
            using (var webp = new MemoryStream())
            {
                resized.Save(webp, new WebpEncoder { Quality = 78, FileFormat = WebpFileFormatType.Lossy, Method = WebpEncodingMethod.Level4 });
            }

            using (var jpeg = new MemoryStream())
            {
                resized.Save(jpeg, new JpegEncoder { Quality = 80 });
            }

            if (!ReferenceEquals(source, image))
            {
                source.Dispose();
            }

            source = resized;
        }

        if (!ReferenceEquals(source, image))
        {
            source.Dispose();
        }
    }

    private static byte[] PhonePhoto(int width, int height)
    {
        using var image = new Image<Rgb24>(width, height);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    row[x] = new Rgb24((byte)((x * 7) ^ y), (byte)(y / 12), (byte)((x + y) / 30));
                }
            }
        });
        using var output = new MemoryStream();
        image.Save(output, new JpegEncoder { Quality = 88 });
        return output.ToArray();
    }
}
