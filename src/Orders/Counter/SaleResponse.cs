using System.Globalization;
using Marketplace.Orders.Merchants;
using Marketplace.Orders.OrderAggregate;
using Marketplace.ServiceDefaults.Formatting;

namespace Marketplace.Orders.Counter;

/// <summary>One item of a walk-in sale: the price the buyer paid, and the catalogue's price when it had changed.</summary>
public sealed record SaleLineResponse(
    Guid OrderLineId,
    Guid ProductId,
    Guid VariantId,
    string Name,
    string? NameEn,
    string VariantLabel,
    string? MakerName,
    int Quantity,
    long UnitPriceRupiah,
    long LineTotalRupiah,
    bool PriceChanged,
    long? ListPriceRupiah,
    int ReturnedQuantity);

/// <summary>
/// A walk-in sale as its receipt shows it. <see cref="SoldAtLocal"/> is the cooperative's clock (with its zone's name,
/// e.g. WIB); <see cref="Flags"/> holds <c>late</c> (sent after its till session closed) and <c>priceChanged</c>.
/// </summary>
public sealed record SaleResponse(
    Guid OrderId,
    Guid CooperativeId,
    string CooperativeName,
    string ReceiptNumber,
    IReadOnlyList<SaleLineResponse> Lines,
    long TotalRupiah,
    string TotalDisplay,
    long? TenderedRupiah,
    long ChangeRupiah,
    string Channel,
    string? Reference,
    /// <summary>Who sold it: the clerk's account id (the Gateway forwards no names).</summary>
    string Clerk,
    DateTimeOffset SoldAt,
    string SoldAtLocal,
    Guid? TillSessionId,
    IReadOnlyList<string> Flags,
    long RefundedRupiah,
    string Language,
    string ReceiptUrl);

public static class SaleResponses
{
    /// <summary>The Web's page for a receipt: where its QR code and the WhatsApp message lead.</summary>
    public static string ReceiptUrl(Uri publicBaseUrl, Guid orderId, string key) =>
        new Uri(publicBaseUrl, $"/nota/{orderId}?key={Uri.EscapeDataString(key)}").ToString();

    public static SaleResponse Describe(Order order, Merchant? merchant, Uri publicBaseUrl)
    {
        ArgumentNullException.ThrowIfNull(order);
        var counter = order.Counter ?? throw new InvalidOperationException($"Order {order.Id} was not sold at the counter.");
        var soldAt = order.PaidAt ?? order.PlacedAt;
        var local = LocalTime.Of(soldAt, merchant?.TimeZone);
        var flags = new List<string>();
        if (counter.Late)
        {
            flags.Add("late");
        }

        if (order.Lines.Any(l => l.PriceChanged))
        {
            flags.Add("priceChanged");
        }

        return new SaleResponse(
            order.Id,
            order.CooperativeId,
            merchant?.Name ?? string.Empty,
            order.ReceiptNumber!,
            order.Lines.Select(l => new SaleLineResponse(l.Id, l.ProductId, l.VariantId, l.Name, l.NameEn, l.VariantLabel, l.MakerName, l.Quantity, l.UnitPriceRupiah,
                l.LineTotalRupiah, l.PriceChanged, l.PriceChanged ? l.ListPriceRupiah : null, l.RefundedQuantity)).ToList(),
            order.TotalRupiah,
            Rupiah.Display(order.TotalRupiah),
            counter.TenderedRupiah,
            counter.ChangeRupiah,
            order.PaymentChannel == PaymentChannel.Qris ? "qris" : "cash",
            order.PaymentReference,
            // The clerk's name as her sign-in carried it when she sold; the receipt never shows an account id.
            counter.ClerkName ?? string.Empty,
            soldAt,
            // Written as the receipt's reader writes a date: "2 Des 2026 01.35 WIB", or "2 Dec 2026 01:35 WIB" in English.
            local.At.ToString("d MMM yyyy HH:mm", CultureInfo.GetCultureInfo(order.Language == ShopperLanguage.English ? "en-GB" : "id-ID")) + " " + local.Label,
            order.TillSessionId,
            flags,
            order.RefundedRupiah,
            order.Language,
            ReceiptUrl(publicBaseUrl, order.Id, counter.ReceiptKey));
    }
}
