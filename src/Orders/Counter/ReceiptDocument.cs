using System.Globalization;
using Marketplace.Documents;
using Marketplace.ServiceDefaults.Formatting;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Marketplace.Orders.Counter;

/// <summary>
/// A walk-in sale's receipt as a PDF one receipt-printer roll wide (58 or 80 mm) and as long as it needs to be, in the
/// language of the sale: the cooperative, each item with its maker, total, paid, change, clerk, time, and a QR code to
/// the receipt's page.
/// </summary>
public static class ReceiptDocument
{
    private const double PointsPerMillimetre = 72 / 25.4;

    public static byte[] Render(SaleResponse sale, int widthMillimetres)
    {
        ArgumentNullException.ThrowIfNull(sale);
        EmbeddedFontResolver.Install();
        var english = sale.Language == "en";
        string T(string indonesian, string inEnglish) => english ? inEnglish : indonesian;
        var narrow = widthMillimetres < 70;
        var body = new XFont(EmbeddedFontResolver.Family, narrow ? 6.5 : 8, XFontStyleEx.Regular);
        var bold = new XFont(EmbeddedFontResolver.Family, narrow ? 6.5 : 8, XFontStyleEx.Bold);
        var title = new XFont(EmbeddedFontResolver.Family, narrow ? 8.5 : 10, XFontStyleEx.Bold);
        var width = widthMillimetres * PointsPerMillimetre;
        var margin = 3 * PointsPerMillimetre;
        var usable = width - (2 * margin);
        var lineHeight = body.Size * 1.35;

        // Laid out once to measure, then drawn on a page of exactly that length.
        var rows = new List<(string Left, string? Right, XFont Font)>();
        void Row(string left, string? right = null, XFont? font = null) => rows.Add((left, right, font ?? body));
        void Gap() => rows.Add((string.Empty, null, body));

        Row(sale.CooperativeName, null, title);
        Row(T("Nota", "Receipt") + " " + sale.ReceiptNumber, null, bold);
        Row(sale.SoldAtLocal);
        if (!string.IsNullOrWhiteSpace(sale.Clerk))
        {
            Row(T("Kasir", "Clerk") + ": " + sale.Clerk);
        }

        Gap();
        foreach (var line in sale.Lines)
        {
            var name = english && !string.IsNullOrWhiteSpace(line.NameEn) ? line.NameEn! : line.Name;
            Row($"{name} ({line.VariantLabel})", null, bold);
            if (line.MakerName is not null)
            {
                Row(T("oleh ", "by ") + line.MakerName);
            }

            Row(string.Create(CultureInfo.InvariantCulture, $"{line.Quantity} x {Rupiah.Display(line.UnitPriceRupiah)}"), Rupiah.Display(line.LineTotalRupiah));
        }

        Gap();
        Row(T("Total", "Total"), Rupiah.Display(sale.TotalRupiah), bold);
        if (sale.Channel == "cash")
        {
            Row(T("Tunai", "Cash"), Rupiah.Display(sale.TenderedRupiah ?? sale.TotalRupiah));
            Row(T("Kembali", "Change"), Rupiah.Display(sale.ChangeRupiah));
        }
        else
        {
            Row("QRIS", Rupiah.Display(sale.TotalRupiah));
            Row(T("Ref.", "Ref.") + " " + sale.Reference);
        }

        Gap();
        var wrapped = new List<(string Left, string? Right, XFont Font)>();
        using (var measure = XGraphics.CreateMeasureContext(new XSize(width, 1000), XGraphicsUnit.Point, XPageDirection.Downwards))
        {
            foreach (var (left, right, font) in rows)
            {
                var room = right is null ? usable : usable - measure.MeasureString(right, font).Width - 4;
                var parts = PdfText.Wrap(measure, left, font, room);
                for (var i = 0; i < parts.Count; i++)
                {
                    wrapped.Add((parts[i], i == parts.Count - 1 ? right : null, font));
                }
            }
        }

        var qrSize = Math.Min(usable, 30 * PointsPerMillimetre);
        var height = margin + (wrapped.Count * lineHeight) + qrSize + (3 * lineHeight) + margin;
        using var document = new PdfDocument();
        document.Info.Title = T("Nota ", "Receipt ") + sale.ReceiptNumber;
        var page = document.AddPage();
        page.Width = XUnit.FromPoint(width);
        page.Height = XUnit.FromPoint(height);
        using (var graphics = XGraphics.FromPdfPage(page))
        {
            var y = margin;
            foreach (var (left, right, font) in wrapped)
            {
                graphics.DrawString(left, font, XBrushes.Black, new XRect(margin, y, usable, lineHeight), XStringFormats.TopLeft);
                if (right is not null)
                {
                    graphics.DrawString(right, font, XBrushes.Black, new XRect(margin, y, usable, lineHeight), XStringFormats.TopRight);
                }

                y += lineHeight;
            }

            PdfQrCode.Draw(graphics, sale.ReceiptUrl, new XRect((width - qrSize) / 2, y, qrSize, qrSize));
            y += qrSize + (lineHeight / 2);
            graphics.DrawString(T("Terima kasih!", "Thank you!"), bold, XBrushes.Black, new XRect(margin, y, usable, lineHeight), XStringFormats.TopCenter);
        }

        using var stream = new MemoryStream();
        document.Save(stream);
        return stream.ToArray();
    }
}
