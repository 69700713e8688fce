using System.Globalization;
using Marketplace.Documents;
using Marketplace.Orders.OrderAggregate;
using Marketplace.ServiceDefaults.Formatting;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Marketplace.Orders.Invoices;

/// <summary>
/// A paid order's receipt as an A4 PDF in the reader's language: the cooperative as merchant of record (name,
/// address, NPWP), whom it was received from (the buyer, or the institution a kuitansi is made out to), each line
/// with its maker, shipping, the total, each refund on its own line, the net paid in figures and in words, and how
/// it was paid. Pages follow as the lines need them.
/// </summary>
public static class InvoiceDocument
{
    private const double Margin = 45;
    private static readonly CultureInfo Indonesian = CultureInfo.GetCultureInfo("id-ID");
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-GB");

    public static byte[] Render(Invoice invoice)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        EmbeddedFontResolver.Install();
        var english = invoice.English;
        string T(string indonesian, string inEnglish) => english ? inEnglish : indonesian;
        string Date(LocalMoment moment) =>
            moment.At.ToString("d MMMM yyyy, HH.mm", english ? English : Indonesian) + " " + moment.Label;

        var heading = new XFont(EmbeddedFontResolver.Family, 15, XFontStyleEx.Bold);
        var title = new XFont(EmbeddedFontResolver.Family, 12, XFontStyleEx.Bold);
        var body = new XFont(EmbeddedFontResolver.Family, 9, XFontStyleEx.Regular);
        var bold = new XFont(EmbeddedFontResolver.Family, 9, XFontStyleEx.Bold);
        var small = new XFont(EmbeddedFontResolver.Family, 7.5, XFontStyleEx.Regular);
        var grey = new XSolidBrush(XColor.FromArgb(90, 90, 90));

        using var document = new PdfDocument();
        var documentTitle = invoice.Kuitansi is null ? T("Bukti Pembayaran", "Payment Receipt") : T("Kuitansi", "Receipt (Kuitansi)");
        document.Info.Title = documentTitle + " " + invoice.Number;
        document.Info.Author = invoice.MerchantName;
        var page = document.AddPage();
        page.Size = PdfSharp.PageSize.A4;
        var graphics = XGraphics.FromPdfPage(page);
        var width = page.Width.Point - (2 * Margin);
        var bottom = page.Height.Point - Margin - 20;
        var y = Margin;

        void NewPageIfBelow(double needed)
        {
            if (y + needed <= bottom)
            {
                return;
            }

            graphics.Dispose();
            page = document.AddPage();
            page.Size = PdfSharp.PageSize.A4;
            graphics = XGraphics.FromPdfPage(page);
            y = Margin;
        }

        // Text at (x, y) within a column; wraps at spaces and moves y below what it wrote.
        double Write(string text, XFont font, double x, double columnWidth, XStringFormat? format = null, XBrush? brush = null, bool advance = true)
        {
            var lines = PdfText.Wrap(graphics, text, font, columnWidth);
            var lineHeight = font.Size * 1.35;
            var top = y;
            foreach (var line in lines)
            {
                graphics.DrawString(line, font, brush ?? XBrushes.Black, new XRect(x, top, columnWidth, lineHeight), format ?? XStringFormats.TopLeft);
                top += lineHeight;
            }

            if (advance)
            {
                y = top;
            }

            return top - y;
        }

        // The merchant of record, then what this paper is.
        Write(invoice.MerchantName, heading, Margin, width);
        if (!string.IsNullOrWhiteSpace(invoice.MerchantAddress))
        {
            Write(invoice.MerchantAddress, body, Margin, width);
        }

        if (invoice.MerchantNpwp is not null)
        {
            Write("NPWP " + invoice.MerchantNpwp, body, Margin, width);
        }

        y += 10;
        graphics.DrawLine(XPens.Black, Margin, y, Margin + width, y);
        y += 10;
        Write(documentTitle.ToUpper(english ? English : Indonesian), title, Margin, width);
        Write(T("Nomor", "Number") + ": " + invoice.Number, body, Margin, width);
        if (invoice.ReceiptNumber is not null)
        {
            Write(T("Kode pesanan", "Order code") + ": " + invoice.OrderCode, body, Margin, width);
        }

        Write(T("Tanggal pesanan", "Order date") + ": " + Date(invoice.PlacedAt), body, Margin, width);
        Write(T("Tanggal pembayaran", "Payment date") + ": " + Date(invoice.PaidAt), body, Margin, width);
        y += 8;

        if (invoice.Kuitansi is { } kuitansi)
        {
            Write(T("Sudah terima dari", "Received from") + ": " + kuitansi.Institution, bold, Margin, width);
            if (!string.IsNullOrWhiteSpace(kuitansi.Address))
            {
                Write(kuitansi.Address, body, Margin, width);
            }

            if (kuitansi.Npwp is not null)
            {
                Write("NPWP " + Merchants.Npwp.Format(kuitansi.Npwp), body, Margin, width);
            }
        }
        else if (!string.IsNullOrWhiteSpace(invoice.BuyerName))
        {
            Write(T("Sudah terima dari", "Received from") + ": " + invoice.BuyerName, bold, Margin, width);
        }

        Write(T("Uang sejumlah", "The sum of") + ": " + Rupiah.Display(invoice.NetPaidRupiah), bold, Margin, width);
        Write(T("Terbilang", "In words") + ": " + Capitalised(Terbilang.Rupiah(invoice.NetPaidRupiah, english)), body, Margin, width);
        if (invoice.Kuitansi?.Purpose is { Length: > 0 } purpose)
        {
            Write(T("Untuk pembayaran", "Being payment for") + ": " + purpose, body, Margin, width);
        }

        y += 10;

        // The lines: what, how many, at what price, for how much.
        var quantityX = Margin + (width * 0.52);
        var unitX = Margin + (width * 0.60);
        var totalX = Margin + (width * 0.80);
        var describeWidth = (width * 0.52) - 6;
        void Header()
        {
            Write(T("Barang", "Item"), bold, Margin, describeWidth, advance: false);
            Write(T("Jml", "Qty"), bold, quantityX, unitX - quantityX - 4, XStringFormats.TopRight, advance: false);
            Write(T("Harga satuan", "Unit price"), bold, unitX, totalX - unitX - 4, XStringFormats.TopRight, advance: false);
            Write(T("Jumlah", "Amount"), bold, totalX, Margin + width - totalX, XStringFormats.TopRight);
            y += 2;
            graphics.DrawLine(XPens.Gray, Margin, y, Margin + width, y);
            y += 4;
        }

        Header();
        foreach (var line in invoice.Lines)
        {
            NewPageIfBelow(30);
            var top = y;
            Write(string.Create(CultureInfo.InvariantCulture, $"{line.Quantity}"), body, quantityX, unitX - quantityX - 4, XStringFormats.TopRight, advance: false);
            Write(Rupiah.Display(line.UnitPriceRupiah), body, unitX, totalX - unitX - 4, XStringFormats.TopRight, advance: false);
            Write(Rupiah.Display(line.TotalRupiah), body, totalX, Margin + width - totalX, XStringFormats.TopRight, advance: false);
            Write($"{line.Name} ({line.VariantLabel})", body, Margin, describeWidth);
            if (line.Maker is not null)
            {
                Write(T("oleh ", "by ") + line.Maker, small, Margin, describeWidth, brush: grey);
            }

            y = Math.Max(y, top + (body.Size * 1.35)) + 3;
        }

        graphics.DrawLine(XPens.Gray, Margin, y, Margin + width, y);
        y += 4;

        void Sum(string label, long rupiah, XFont font)
        {
            NewPageIfBelow(16);
            Write(label, font, Margin, totalX - Margin - 4, advance: false);
            Write(Rupiah.Display(rupiah), font, totalX, Margin + width - totalX, XStringFormats.TopRight);
        }

        Sum(T("Subtotal barang", "Items subtotal"), invoice.ItemsTotalRupiah, body);
        if (invoice.ShippingRupiah > 0)
        {
            Sum(T("Ongkos kirim", "Shipping"), invoice.ShippingRupiah, body);
        }

        Sum(T("Total pesanan", "Order total"), invoice.TotalRupiah, bold);
        foreach (var refund in invoice.Refunds)
        {
            NewPageIfBelow(30);
            var label = T("Pengembalian dana", "Refund") + " " + refund.At.At.ToString("dd/MM/yyyy", Indonesian)
                + (refund.Description.Length > 0 ? ": " + refund.Description : string.Empty);
            var top = y;
            Write(label, body, Margin, totalX - Margin - 4);
            var below = y;
            y = top;
            Write(Rupiah.Display(-refund.AmountRupiah), body, totalX, Margin + width - totalX, XStringFormats.TopRight, advance: false);
            y = Math.Max(below, top + (body.Size * 1.35));
        }

        if (invoice.Refunds.Count > 0)
        {
            Sum(T("Dibayar bersih", "Net paid"), invoice.NetPaidRupiah, bold);
        }

        y += 12;
        NewPageIfBelow(40);
        var channel = invoice.Channel switch
        {
            PaymentChannel.Card => T("kartu", "card"),
            PaymentChannel.Ewallet => T("QRIS/dompet digital (daring)", "QRIS/e-wallet (online)"),
            PaymentChannel.Cash => T("tunai di kios", "cash at the kiosk"),
            PaymentChannel.Qris => T("QRIS di kios", "QRIS at the kiosk"),
            _ => T("tidak diketahui", "unknown"),
        };
        Write(T("Dibayar dengan", "Paid by") + ": " + channel + (invoice.PaymentReference is { } reference ? " (" + T("ref. ", "ref. ") + reference + ")" : string.Empty), body, Margin, width);
        Write(T("Pembayaran dalam rupiah kepada ", "Paid in rupiah to ") + invoice.MerchantName
            + T(", penjual seluruh barang dalam pesanan ini atas nama para anggotanya.", ", the seller of every item in this order on behalf of its members."), small, Margin, width, brush: grey);

        graphics.Dispose();
        using var stream = new MemoryStream();
        document.Save(stream);
        return stream.ToArray();
    }

    private static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
