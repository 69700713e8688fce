using Marketplace.Contracts.Catalog;
using Marketplace.Orders.Invoices;
using Marketplace.Orders.Merchants;
using Marketplace.Orders.OrderAggregate;
using Marketplace.Orders.RefundAggregate;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Formatting;
using UglyToad.PdfPig;
using PaymentChannel = Marketplace.Orders.OrderAggregate.PaymentChannel;

namespace Marketplace.Orders.Tests;

/// <summary>
/// A paid order's receipt (bukti pembayaran / kuitansi) read back from its PDF: the figures are the order's, each refund
/// is its own line, the net is the total less what went back, and a kuitansi names the institution it was asked for.
/// </summary>
public sealed class ReceiptDocumentTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 3, 0, 0, TimeSpan.Zero);
    private static readonly Guid Maker = Guid.NewGuid();

    [Fact]
    public void The_receipts_figures_are_the_orders_total_less_each_refund_that_went_back()
    {
        var order = PaidShippedOrder();
        var merchant = Cooperative(address: "Jl. Raya Binor No. 1, Paiton, Probolinggo", npwp: "012345678901000");
        var returned = Refund.Start(order, "key-1", order.PlanRefund([new RefundLineRequest(order.Lines[0].Id, 1)], includeShipping: false), Now);
        returned.Succeed("re_1", Now.AddDays(1));
        // Still with Stripe: not money returned yet, so the receipt does not subtract it.
        var pending = Refund.Start(order, "key-2", order.PlanRefund([new RefundLineRequest(order.Lines[1].Id, 1)], includeShipping: false), Now);

        var invoice = Invoice.Compose(order, merchant, [returned, pending], new Dictionary<Guid, string> { [Maker] = "Bu Sulastri" }, "id");
        var text = TextOf(InvoiceDocument.Render(invoice));

        Assert.Equal(30_000 + 7_500 + 12_000, order.TotalRupiah);
        Assert.Equal(order.TotalRupiah, invoice.TotalRupiah);
        Assert.Equal(order.TotalRupiah - returned.TotalRupiah, invoice.NetPaidRupiah);
        Assert.Single(invoice.Refunds);
        Assert.Contains("BUKTI PEMBAYARAN", text, StringComparison.Ordinal);
        Assert.Contains("Koperasi Wanita Pantai Binor", text, StringComparison.Ordinal);
        Assert.Contains("Jl. Raya Binor No. 1, Paiton, Probolinggo", text, StringComparison.Ordinal);
        Assert.Contains("NPWP 01.234.567.8-901.000", text, StringComparison.Ordinal);
        Assert.Contains("Nomor: " + order.PickupCode, text, StringComparison.Ordinal);
        Assert.Contains("oleh Bu Sulastri", text, StringComparison.Ordinal);
        Assert.Contains("Total pesanan" + Rupiah.Display(order.TotalRupiah), text, StringComparison.Ordinal);
        Assert.Contains("Ongkos kirim" + Rupiah.Display(12_000), text, StringComparison.Ordinal);
        Assert.Contains("Pengembalian dana 02/12/2026: 1 × Kerupuk ikan (250 g)" + Rupiah.Display(-15_000), text, StringComparison.Ordinal);
        Assert.DoesNotContain(Rupiah.Display(-7_500), text, StringComparison.Ordinal);
        Assert.Contains("Dibayar bersih" + Rupiah.Display(34_500), text, StringComparison.Ordinal);
        Assert.Contains("Uang sejumlah: " + Rupiah.Display(34_500), text, StringComparison.Ordinal);
        Assert.Contains("Terbilang: Tiga puluh empat ribu lima ratus rupiah", text, StringComparison.Ordinal);
        Assert.Contains("Dibayar dengan: kartu", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_receipt_without_refunds_and_without_an_npwp_says_neither()
    {
        var order = PaidShippedOrder();

        var text = TextOf(InvoiceDocument.Render(Invoice.Compose(order, Cooperative(null, null), [], new Dictionary<Guid, string>(), "id")));

        Assert.DoesNotContain("NPWP", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Pengembalian dana", text, StringComparison.Ordinal);
        Assert.Contains("Uang sejumlah: " + Rupiah.Display(order.TotalRupiah), text, StringComparison.Ordinal);
        Assert.Contains("Sudah terima dari: Siti", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_kuitansi_is_made_out_to_the_institution_asked_for_in_the_readers_language()
    {
        var order = PaidShippedOrder();
        order.MakeKuitansiOutTo(InvoicesApi.Validate(new KuitansiRequest(" SMA Negeri 1 Paiton ", "Jl. Pendidikan 5, Paiton", "0123.4567.8901.2345", "oleh-oleh tamu dinas"), Now));

        var indonesian = TextOf(InvoiceDocument.Render(Invoice.Compose(order, Cooperative(null, null), [], new Dictionary<Guid, string>(), "id")));
        var english = Invoice.Compose(order, Cooperative(null, null), [], new Dictionary<Guid, string>(), "en");
        var inEnglish = TextOf(InvoiceDocument.Render(english));

        Assert.Contains("KUITANSI", indonesian, StringComparison.Ordinal);
        Assert.Contains("Sudah terima dari: SMA Negeri 1 Paiton", indonesian, StringComparison.Ordinal);
        Assert.Contains("NPWP 0123 4567 8901 2345", indonesian, StringComparison.Ordinal);
        Assert.Contains("Untuk pembayaran: oleh-oleh tamu dinas", indonesian, StringComparison.Ordinal);
        Assert.Contains("Terbilang: Empat puluh sembilan ribu lima ratus rupiah", indonesian, StringComparison.Ordinal);
        Assert.DoesNotContain("Siti", indonesian, StringComparison.Ordinal);
        Assert.Contains("RECEIPT (KUITANSI)", inEnglish, StringComparison.Ordinal);
        Assert.Contains("Received from: SMA Negeri 1 Paiton", inEnglish, StringComparison.Ordinal);
        Assert.Contains("In words: Forty-nine thousand five hundred rupiah", inEnglish, StringComparison.Ordinal);
        Assert.Contains("Order total" + Rupiah.Display(order.TotalRupiah), inEnglish, StringComparison.Ordinal);
        Assert.StartsWith("kuitansi-", english.FileName, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unpaid_order_has_no_kuitansi()
    {
        var order = Order.Place(Guid.NewGuid(), "guest:1", new Contact("Siti", "+6281234567890", null), FulfilmentKind.Pickup, new DateOnly(2026, 12, 2), null,
            PaymentMethod.Kiosk, [Line(1, 10_000)], 0, Now, Now.AddHours(1));

        Assert.Equal("order_not_paid", Assert.Throws<ConflictException>(() => order.MakeKuitansiOutTo(new KuitansiRecipient("Dinas", null, null, null, Now))).Code);
    }

    [Fact]
    public void A_kuitansi_request_names_every_wrong_field_at_once()
    {
        var refused = Assert.Throws<ValidationFailedException>(() =>
            InvoicesApi.Validate(new KuitansiRequest("  ", new string('a', 301), "12.345", new string('b', 201)), Now));

        Assert.Equal(
            ["address:address_too_long", "institution:institution_required", "npwp:invalid_npwp", "purpose:purpose_too_long"],
            refused.Errors.Select(e => e.Field + ":" + e.Code).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("01.234.567.8-901.000", "012345678901000", "01.234.567.8-901.000")]
    [InlineData("012345678901000", "012345678901000", "01.234.567.8-901.000")]
    [InlineData("3513 0123 4567 0001", "3513012345670001", "3513 0123 4567 0001")]
    public void An_npwp_of_15_or_16_digits_is_kept_as_digits_and_shown_as_printed(string typed, string digits, string shown)
    {
        var errors = new FieldErrors();

        var kept = Npwp.Normalize(typed, "npwp", errors);

        Assert.False(errors.Any);
        Assert.Equal(digits, kept);
        Assert.Equal(shown, Npwp.Format(kept!));
    }

    [Theory]
    [InlineData("01234567890100")]
    [InlineData("01234567890100012")]
    [InlineData("01.234.567.8-901.00A")]
    [InlineData("NPWP 012345678901000")]
    public void An_npwp_that_is_not_15_or_16_digits_is_refused_at_its_field(string typed)
    {
        var merchant = Cooperative(null, null);

        var refused = Assert.Throws<ValidationFailedException>(() => merchant.SetReceiptDetails("Jl. Raya Binor", typed));

        Assert.Equal("npwp", Assert.Single(refused.Errors).Field);
        Assert.Equal("invalid_npwp", refused.Errors[0].Code);
        Assert.Null(merchant.Npwp);
        Assert.Null(merchant.Address);
    }

    [Fact]
    public void No_npwp_is_allowed_and_an_empty_field_clears_it()
    {
        var merchant = Cooperative("Jl. Raya Binor", "012345678901000");

        merchant.SetReceiptDetails("  ", "");

        Assert.Null(merchant.Npwp);
        Assert.Null(merchant.Address);
    }

    private static Order PaidShippedOrder()
    {
        var order = Order.Place(Guid.NewGuid(), "guest:1", new Contact("Siti", "+6281234567890", null), FulfilmentKind.Shipping, null,
            new ShippingAddress("Siti", "Jl. Pantai 1", "Probolinggo", "Jawa Timur", "67211"), PaymentMethod.Card, [Line(2, 15_000), Line(1, 7_500)], 12_000, Now, Now.AddHours(1));
        order.StockHeld(Now.AddHours(1), Now.AddMinutes(45), Now);
        order.MarkPaid(PaymentChannel.Card, "pi_test", Now);
        return order;
    }

    private static Merchant Cooperative(string? address, string? npwp)
    {
        var merchant = Merchant.Register(new CooperativeRegistered(Guid.NewGuid(), "binor", "Koperasi Wanita Pantai Binor", 10, Now));
        merchant.SetReceiptDetails(address, npwp);
        return merchant;
    }

    private static OrderLine Line(int quantity, long unitPrice) =>
        new(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Maker, "kerupuk", "Kerupuk ikan", "250 g", quantity, unitPrice, 250, NameEn: "Fish crackers");

    /// <summary>The text of every page, one drawn string after another, as PdfPig reads it.</summary>
    internal static string TextOf(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return string.Concat(document.GetPages().Select(p => p.Text));
    }
}
