using System.Globalization;
using Marketplace.Documents;
using Marketplace.Orders.Settlement.Cooperatives;
using Marketplace.ServiceDefaults.Formatting;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Marketplace.Orders.Settlement.Payouts;

/// <summary>A payout statement as a PDF, in Bahasa Indonesia, its dates as the cooperative's clocks showed them.</summary>
public static class StatementDocument
{
    private static readonly CultureInfo Indonesian = CultureInfo.GetCultureInfo("id-ID");

    public static byte[] Render(PayoutBatch batch, PayoutLine payout, string memberName, IReadOnlyList<StatementLine> lines, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(payout);
        ArgumentNullException.ThrowIfNull(lines);
        EmbeddedFontResolver.Install();
        using var document = new PdfDocument();
        document.Info.Title = "Laporan Pembayaran Anggota";
        var title = new XFont(EmbeddedFontResolver.Family, 14, XFontStyleEx.Bold);
        var body = new XFont(EmbeddedFontResolver.Family, 9, XFontStyleEx.Regular);
        var bold = new XFont(EmbeddedFontResolver.Family, 9, XFontStyleEx.Bold);
        var page = document.AddPage();
        var graphics = XGraphics.FromPdfPage(page);
        double y = 50;

        void Text(string text, XFont font, double x, XStringFormat? format = null) =>
            graphics.DrawString(text, font, XBrushes.Black, new XRect(x, y, 180, 14), format ?? XStringFormats.TopLeft);

        Text("Laporan Pembayaran Anggota", title, 50);
        y += 26;
        Text($"Anggota: {memberName}", body, 50);
        y += 14;
        Text($"Batas tanggal: {CooperativeCalendar.Local(batch.CutOff, zone).ToString("d MMMM yyyy", Indonesian)}", body, 50);
        y += 14;
        Text($"Pembayaran: {(payout.Method == PayoutMethod.Bank ? $"transfer ke {payout.Bank} {payout.AccountNumber} a.n. {payout.AccountName}" : "tunai di koperasi")}", body, 50);
        y += 24;
        Text("Tanggal", bold, 50);
        Text("Keterangan", bold, 130);
        Text("Jumlah", bold, 360, XStringFormats.TopRight);
        y += 16;
        foreach (var line in lines)
        {
            if (y > page.Height.Point - 80)
            {
                page = document.AddPage();
                graphics.Dispose();
                graphics = XGraphics.FromPdfPage(page);
                y = 50;
            }

            Text(CooperativeCalendar.Local(line.At, zone).ToString("dd/MM/yyyy", Indonesian), body, 50);
            Text(Describe(line), body, 130);
            Text(Rupiah.Display(line.AmountRupiah), body, 360, XStringFormats.TopRight);
            y += 13;
        }

        y += 8;
        Text("Potongan simpanan wajib", body, 130);
        Text("- " + Rupiah.Display(payout.SavingsRupiah), body, 360, XStringFormats.TopRight);
        y += 16;
        Text("Jumlah dibayarkan", bold, 130);
        Text(Rupiah.Display(payout.AmountRupiah), bold, 360, XStringFormats.TopRight);
        graphics.Dispose();
        using var stream = new MemoryStream();
        document.Save(stream);
        return stream.ToArray();
    }

    private static string Describe(StatementLine line) => line.Kind switch
    {
        "fulfilment" => "Penjualan diserahkan",
        "refund" => "Pengembalian dana",
        "payout" => "Transfer gagal, dikembalikan",
        _ => line.Memo,
    };
}
