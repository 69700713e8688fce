using Marketplace.Orders.Counter;
using Marketplace.ServiceDefaults.Formatting;
using UglyToad.PdfPig;

namespace Marketplace.Orders.Tests;

/// <summary>
/// A walk-in sale's receipt PDF for 58 and 80 mm roll printers, read back: one roll wide, with every item and its maker,
/// the total, what was paid, the change and the clerk, in the sale's language.
/// </summary>
public sealed class CounterReceiptPdfTests
{
    [Theory]
    [InlineData(58)]
    [InlineData(80)]
    public void The_receipt_is_one_roll_wide_and_says_the_items_makers_total_paid_change_and_clerk(int width)
    {
        var pdf = ReceiptDocument.Render(Sale("id", "cash"), width);

        using var document = PdfDocument.Open(pdf);
        var page = Assert.Single(document.GetPages());
        var text = page.Text;
        Assert.Equal(width * 72 / 25.4, page.Width, precision: 1);
        Assert.Contains("Koperasi Wanita Pantai Binor", text, StringComparison.Ordinal);
        Assert.Contains("Nota K-20261201-0007", text, StringComparison.Ordinal);
        Assert.Contains("Kasir: Mbak Dewi", text, StringComparison.Ordinal);
        Assert.Contains("Kerupuk Ikan Tengiri (250 g)", text, StringComparison.Ordinal);
        Assert.Contains("oleh Bu Siti", text, StringComparison.Ordinal);
        Assert.Contains("2 x " + Rupiah.Display(25_000) + Rupiah.Display(50_000), text, StringComparison.Ordinal);
        Assert.Contains("Tas Pandan (besar)", text, StringComparison.Ordinal);
        Assert.Contains("oleh Bu Ani", text, StringComparison.Ordinal);
        Assert.Contains("1 x " + Rupiah.Display(40_000) + Rupiah.Display(40_000), text, StringComparison.Ordinal);
        Assert.Contains("Total" + Rupiah.Display(90_000), text, StringComparison.Ordinal);
        Assert.Contains("Tunai" + Rupiah.Display(100_000), text, StringComparison.Ordinal);
        Assert.Contains("Kembali" + Rupiah.Display(10_000), text, StringComparison.Ordinal);
    }

    [Fact]
    public void An_english_QRIS_receipt_says_the_channel_and_its_reference_and_no_change()
    {
        var text = string.Concat(PdfDocument.Open(ReceiptDocument.Render(Sale("en", "qris"), 58)).GetPages().Select(p => p.Text));

        Assert.Contains("Receipt K-20261201-0007", text, StringComparison.Ordinal);
        Assert.Contains("Clerk: Mbak Dewi", text, StringComparison.Ordinal);
        Assert.Contains("Fish crackers (250 g)", text, StringComparison.Ordinal);
        Assert.Contains("by Bu Siti", text, StringComparison.Ordinal);
        Assert.Contains("QRIS" + Rupiah.Display(90_000), text, StringComparison.Ordinal);
        Assert.Contains("Ref. QR-77120045", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Change", text, StringComparison.Ordinal);
    }

    private static SaleResponse Sale(string language, string channel)
    {
        var cash = channel == "cash";
        SaleLineResponse Line(string name, string? nameEn, string label, string maker, int quantity, long price) =>
            new(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), name, nameEn, label, maker, quantity, price, quantity * price, false, null, 0);
        return new SaleResponse(
            Guid.NewGuid(), Guid.NewGuid(), "Koperasi Wanita Pantai Binor", "K-20261201-0007",
            [Line("Kerupuk Ikan Tengiri", "Fish crackers", "250 g", "Bu Siti", 2, 25_000), Line("Tas Pandan", "Pandan bag", "besar", "Bu Ani", 1, 40_000)],
            90_000, Rupiah.Display(90_000), cash ? 100_000 : null, cash ? 10_000 : 0, channel, cash ? null : "QR-77120045", "Mbak Dewi",
            new DateTimeOffset(2026, 12, 1, 3, 0, 0, TimeSpan.Zero), "1 Des 2026 10.00 WIB", Guid.NewGuid(), [], 0, language,
            "https://pantaibinor.example/nota/1?key=abc");
    }
}
