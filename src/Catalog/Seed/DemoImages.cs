using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

namespace Marketplace.Catalog.Seed;

/// <summary>Stand-in product photos for the demo store: a soft gradient with a pattern per category.</summary>
internal static class DemoImages
{
    public static byte[] Render(string category, int seed)
    {
        var (top, bottom, accent) = category switch
        {
            "kerupuk" => (new Rgb24(250, 226, 170), new Rgb24(224, 160, 80), new Rgb24(255, 246, 220)),
            "camilan" => (new Rgb24(255, 214, 153), new Rgb24(200, 90, 40), new Rgb24(120, 40, 20)),
            "hasil-laut-kering" => (new Rgb24(200, 220, 230), new Rgb24(90, 120, 140), new Rgb24(235, 235, 220)),
            "minuman" => (new Rgb24(255, 200, 200), new Rgb24(150, 30, 60), new Rgb24(255, 240, 240)),
            "kerajinan" => (new Rgb24(220, 210, 160), new Rgb24(120, 110, 60), new Rgb24(80, 70, 30)),
            _ => (new Rgb24(60, 80, 140), new Rgb24(20, 30, 70), new Rgb24(230, 180, 60)),
        };
        const int width = 800;
        const int height = 600;
        using var image = new Image<Rgb24>(width, height);
        var random = new Random(seed);
        var spots = Enumerable.Range(0, 7).Select(_ => (X: random.Next(width), Y: random.Next(height), R: random.Next(50, 140))).ToArray();
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                var t = y / (float)height;
                var baseColor = new Rgb24(Mix(top.R, bottom.R, t), Mix(top.G, bottom.G, t), Mix(top.B, bottom.B, t));
                for (var x = 0; x < row.Length; x++)
                {
                    var inSpot = spots.Any(s => ((x - s.X) * (x - s.X)) + ((y - s.Y) * (y - s.Y)) < s.R * s.R);
                    row[x] = inSpot ? accent : baseColor;
                }
            }
        });
        using var output = new MemoryStream();
        image.Save(output, new JpegEncoder { Quality = 85 });
        return output.ToArray();
    }

    private static byte Mix(byte a, byte b, float t) => (byte)(a + ((b - a) * t));
}
