using PdfSharp.Drawing;
using QRCoder;

namespace Marketplace.Documents;

/// <summary>A QR code drawn into a PDF page as vector squares: sharp on any printer, a shelf label's or a thermal roll's.</summary>
public static class PdfQrCode
{
    public static void Draw(XGraphics graphics, string url, XRect area)
    {
        ArgumentNullException.ThrowIfNull(graphics);
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(url, QRCodeGenerator.ECCLevel.M);
        var modules = data.ModuleMatrix;
        var size = area.Width / modules.Count;
        for (var row = 0; row < modules.Count; row++)
        {
            for (var column = 0; column < modules[row].Count; column++)
            {
                if (modules[row][column])
                {
                    // A hair wider than the module, so neighbouring squares print as one dark area without seams.
                    graphics.DrawRectangle(XBrushes.Black, area.Left + (column * size), area.Top + (row * size), size + 0.05, size + 0.05);
                }
            }
        }
    }
}
