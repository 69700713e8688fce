using System.Globalization;
using Marketplace.Documents;
using Marketplace.ServiceDefaults.Formatting;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Marketplace.Catalog.Deliveries;

/// <summary>
/// The printable receipt of goods brought to the kiosk (tanda terima titip barang), in Bahasa Indonesia as the kiosk's
/// papers are: the cooperative, the member, each line as announced and as accepted with its reason, dates and cost, and
/// who received it when.
/// </summary>
public static class DeliveryReceipt
{
    private static readonly CultureInfo Indonesian = CultureInfo.GetCultureInfo("id-ID");

    public static byte[] Render(Delivery delivery, string cooperativeName, string timeZone, DateTimeOffset printedAt)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        EmbeddedFontResolver.Install();
        using var document = new PdfDocument();
        document.Info.Title = "Tanda terima titip barang";
        var heading = new XFont(EmbeddedFontResolver.Family, 14, XFontStyleEx.Bold);
        var bold = new XFont(EmbeddedFontResolver.Family, 9, XFontStyleEx.Bold);
        var body = new XFont(EmbeddedFontResolver.Family, 9, XFontStyleEx.Regular);
        const double left = 40;
        const double lineHeight = 14;

        var page = NewPage(document);
        var g = XGraphics.FromPdfPage(page);
        try
        {
            var y = 50.0;
            void Text(string text, XFont font, double x = left)
            {
                g.DrawString(text, font, XBrushes.Black, new XPoint(x, y));
            }

            Text("Tanda Terima Titip Barang", heading);
            y += 22;
            Text(cooperativeName, bold);
            y += lineHeight;
            Text($"Anggota: {delivery.MemberName}", body);
            y += lineHeight;
            Text($"Nomor: {ShortReference.Of(delivery.Id)}", body);
            y += lineHeight;
            Text($"Diumumkan: {Local(delivery.AnnouncedAt, timeZone)}", body);
            y += lineHeight;
            Text(delivery.ReceivedAt is { } received
                ? $"Diterima: {Local(received, timeZone)}" + (delivery.ReceivedByName is { } name ? $" oleh {name}" : string.Empty)
                : "Belum diterima di kios", body);
            y += lineHeight;
            if (delivery.Note is { } note)
            {
                foreach (var noteLine in PdfText.Wrap(g, $"Catatan: {note}", body, 555 - left))
                {
                    Text(noteLine, body);
                    y += lineHeight;
                }
            }

            y += 10;
            double[] columns = [left, left + 190, left + 250, left + 310, left + 380, left + 450];
            string[] headers = ["Produk", "Dikirim", "Diterima", "Produksi", "Kedaluwarsa", "Modal/unit"];
            for (var i = 0; i < headers.Length; i++)
            {
                Text(headers[i], bold, columns[i]);
            }

            y += 4;
            g.DrawLine(XPens.Black, left, y, 555, y);
            y += lineHeight;
            foreach (var line in delivery.Lines.OrderBy(l => l.LineNo))
            {
                // Long names and reasons are wrapped, never cut: the receipt is what both sides sign.
                var names = PdfText.Wrap(g, $"{line.ProductName} ({line.VariantLabel})", body, columns[1] - columns[0] - 8);
                var reasons = line.Reason is { } reason ? PdfText.Wrap(g, $"Alasan: {reason}", body, 555 - columns[0] - 10) : [];
                if (y + ((names.Count + reasons.Count - 1) * lineHeight) > 780)
                {
                    g.Dispose();
                    page = NewPage(document);
                    g = XGraphics.FromPdfPage(page);
                    y = 50;
                }

                Text(names[0], body, columns[0]);
                Text(line.Quantity.ToString(Indonesian), body, columns[1]);
                Text(line.Accepted?.ToString(Indonesian) ?? "-", body, columns[2]);
                Text(line.ProducedOn?.ToString("dd-MM-yyyy", Indonesian) ?? "-", body, columns[3]);
                Text(line.ExpiresOn?.ToString("dd-MM-yyyy", Indonesian) ?? "-", body, columns[4]);
                Text(line.CostPerUnitRupiah is { } cost ? "Rp " + cost.ToString("N0", Indonesian) : "-", body, columns[5]);
                y += lineHeight;
                foreach (var more in names.Skip(1))
                {
                    Text(more, body, columns[0]);
                    y += lineHeight;
                }

                foreach (var reasonLine in reasons)
                {
                    Text(reasonLine, body, columns[0] + 10);
                    y += lineHeight;
                }
            }

            y += 30;
            Text("Anggota", body);
            Text("Petugas kios", body, left + 300);
            y += 50;
            Text("(....................)", body);
            Text("(....................)", body, left + 300);
            y += 30;
            Text($"Dicetak {Local(printedAt, timeZone)}", body);
        }
        finally
        {
            g.Dispose();
        }

        using var output = new MemoryStream();
        document.Save(output);
        return output.ToArray();
    }

    private static PdfPage NewPage(PdfDocument document)
    {
        var page = document.AddPage();
        page.Width = XUnit.FromMillimeter(210);
        page.Height = XUnit.FromMillimeter(297);
        return page;
    }

    private static string Local(DateTimeOffset at, string timeZone)
    {
        var local = LocalTime.Of(at, timeZone);
        return $"{local.At.ToString("dd-MM-yyyy HH:mm", Indonesian)} {local.Label}";
    }

}
