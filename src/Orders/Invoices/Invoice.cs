using Marketplace.Orders.Merchants;
using Marketplace.Orders.OrderAggregate;
using Marketplace.Orders.RefundAggregate;
using Marketplace.ServiceDefaults.Formatting;

namespace Marketplace.Orders.Invoices;

/// <summary>One line of a receipt: what was bought, from which maker, how many, at what price.</summary>
public sealed record InvoiceLine(string Name, string VariantLabel, string? Maker, int Quantity, long UnitPriceRupiah, long TotalRupiah);

/// <summary>One refund as its own line of a receipt: when, what it gave back, how much.</summary>
public sealed record InvoiceRefund(LocalMoment At, string Description, long AmountRupiah);

/// <summary>
/// Everything a paid order's receipt (bukti pembayaran, or kuitansi when made out to an institution) says, composed
/// once from the order, its cooperative and its refunds so that the document and its tests read the same figures.
/// Money is the order's own: <see cref="TotalRupiah"/> is the order's total, <see cref="NetPaidRupiah"/> that total
/// less every refund that went back.
/// </summary>
public sealed record Invoice(
    bool English,
    string OrderCode,
    string? ReceiptNumber,
    string MerchantName,
    string? MerchantAddress,
    string? MerchantNpwp,
    string BuyerName,
    KuitansiRecipient? Kuitansi,
    LocalMoment PlacedAt,
    LocalMoment PaidAt,
    PaymentChannel? Channel,
    string? PaymentReference,
    IReadOnlyList<InvoiceLine> Lines,
    long ItemsTotalRupiah,
    long ShippingRupiah,
    long TotalRupiah,
    IReadOnlyList<InvoiceRefund> Refunds,
    long NetPaidRupiah)
{
    /// <summary>The receipt's number: a walk-in sale's nota number, else the order's code.</summary>
    public string Number => ReceiptNumber ?? OrderCode;

    public string FileName => (Kuitansi is null ? "bukti-pembayaran-" : "kuitansi-") + Number + ".pdf";

    /// <summary>
    /// The receipt of a paid order in <paramref name="language"/> (<c>id</c> or <c>en</c>). Only refunds that went back
    /// count: one still with Stripe is not money returned yet, and a failed one never was.
    /// </summary>
    public static Invoice Compose(Order order, Merchant merchant, IReadOnlyList<Refund> refunds, IReadOnlyDictionary<Guid, string> makers, string language)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(merchant);
        ArgumentNullException.ThrowIfNull(refunds);
        ArgumentNullException.ThrowIfNull(makers);
        if (order.PaidAt is not { } paidAt)
        {
            throw new InvalidOperationException($"Order {order.Id} is not paid: it has no receipt.");
        }

        var english = ShopperLanguage.Of(language) == ShopperLanguage.English;
        string NameOf(OrderLine line) => english && !string.IsNullOrWhiteSpace(line.NameEn) ? line.NameEn! : line.Name;
        var lines = order.Lines
            .Select(l => new InvoiceLine(NameOf(l), l.VariantLabel, l.MakerName ?? makers.GetValueOrDefault(l.MemberId), l.Quantity, l.UnitPriceRupiah, l.LineTotalRupiah))
            .ToList();
        var returned = refunds
            .Where(r => r.OrderId == order.Id && r.Status == RefundStatus.Succeeded)
            .OrderBy(r => r.CompletedAt ?? r.CreatedAt)
            .Select(r => new InvoiceRefund(LocalTime.Of(r.CompletedAt ?? r.CreatedAt, merchant.TimeZone), Describe(order, r, english, NameOf), r.TotalRupiah))
            .ToList();
        return new Invoice(
            english,
            order.PickupCode,
            order.ReceiptNumber,
            merchant.Name,
            merchant.Address,
            merchant.Npwp is null ? null : Npwp.Format(merchant.Npwp),
            order.Contact.Name,
            order.Kuitansi,
            LocalTime.Of(order.PlacedAt, merchant.TimeZone),
            LocalTime.Of(paidAt, merchant.TimeZone),
            order.PaymentChannel,
            order.PaymentReference,
            lines,
            order.ItemsTotalRupiah,
            order.ShippingRupiah,
            order.TotalRupiah,
            returned,
            order.TotalRupiah - returned.Sum(r => r.AmountRupiah));
    }

    /// <summary>What one refund gave back, in the reader's words: "2 × Kerupuk ikan (250 g), ongkos kirim".</summary>
    private static string Describe(Order order, Refund refund, bool english, Func<OrderLine, string> nameOf)
    {
        var parts = refund.Lines
            .Select(r => (Refunded: r, Line: order.Lines.FirstOrDefault(l => l.Id == r.OrderLineId)))
            .Where(p => p.Line is not null)
            .Select(p => $"{p.Refunded.Quantity} × {nameOf(p.Line!)} ({p.Line!.VariantLabel})")
            .ToList();
        if (refund.ShippingRupiah > 0)
        {
            parts.Add(english ? "shipping" : "ongkos kirim");
        }

        return string.Join(", ", parts);
    }
}
