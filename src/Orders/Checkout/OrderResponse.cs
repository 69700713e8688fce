using Marketplace.Orders.Baskets;
using Marketplace.Orders.OrderAggregate;
using Marketplace.ServiceDefaults.Formatting;
using Marketplace.ServiceDefaults.Identity;

namespace Marketplace.Orders.Checkout;

public sealed record OrderLineResponse(Guid Id, Guid ProductId, Guid VariantId, string Name, string VariantLabel, int Quantity, long UnitPriceRupiah, long LineTotalRupiah,
    string? NameEn);

/// <summary>A line Catalog could not hold, and why (<c>sold_out</c>, <c>not_on_sale</c>, ...).</summary>
public sealed record ShortageResponse(Guid VariantId, int Requested, int Available, string Reason);

/// <summary>Who placed the order, as typed at checkout: the kiosk greets her by name and can call her number.</summary>
public sealed record BuyerResponse(string Name, string WhatsApp);

public sealed record OrderResponse(
    Guid Id,
    Guid CooperativeId,
    OrderStatus Status,
    string PickupCode,
    FulfilmentKind Fulfilment,
    DateOnly? PickupDate,
    PaymentMethod Payment,
    IReadOnlyList<OrderLineResponse> Lines,
    long ItemsTotalRupiah,
    long ShippingRupiah,
    long TotalRupiah,
    string TotalDisplay,
    string? CheckoutUrl,
    DateTimeOffset? PaymentDeadline,
    IReadOnlyList<ShortageResponse> Shortages,
    DateTimeOffset PlacedAt,
    DateTimeOffset? PaidAt,
    bool StockConfirmed,
    long RefundedRupiah,
    string Language,
    ShippingAddress? ShippingAddress,
    BuyerResponse? Buyer = null,
    ShipmentResponse? Shipment = null,
    PaymentChannel? Channel = null,
    string? PaymentFailure = null);

/// <summary>Which courier carries a shipped order, and the number to track it by on the courier's site.</summary>
public sealed record ShipmentResponse(string Courier, string TrackingNumber, DateTimeOffset ShippedAt);

public static class OrderResponses
{
    /// <summary>The shopper who placed it (signed in, or the same guest), or an admin of its cooperative.</summary>
    public static bool CanSee(HttpContext http, Order order)
    {
        ArgumentNullException.ThrowIfNull(order);
        return order.Owner == BasketOwner.User(http) || order.Owner == BasketOwner.Guest(http) || http.User.IsAdminOf(order.CooperativeId);
    }

    public static OrderResponse Describe(Order order)
    {
        ArgumentNullException.ThrowIfNull(order);
        return new(
            order.Id,
            order.CooperativeId,
            order.Status,
            order.PickupCode,
            order.Fulfilment,
            order.PickupDate,
            order.PaymentMethod,
            order.Lines.Select(l => new OrderLineResponse(l.Id, l.ProductId, l.VariantId, l.Name, l.VariantLabel, l.Quantity, l.UnitPriceRupiah, l.LineTotalRupiah, l.NameEn)).ToList(),
            order.ItemsTotalRupiah,
            order.ShippingRupiah,
            order.TotalRupiah,
            Rupiah.Display(order.TotalRupiah),
            order.Status == OrderStatus.AwaitingPayment ? order.CheckoutUrl : null,
            order.PaymentDeadline,
            order.Shortages.Select(s => new ShortageResponse(s.VariantId, s.Requested, s.Available, s.Reason)).ToList(),
            order.PlacedAt,
            order.PaidAt,
            order.StockConfirmedAt is not null,
            order.RefundedRupiah,
            order.Language,
            order.ShippingAddress,
            // Only the buyer herself and her cooperative's admins ever see an order, so her own contact may travel with it.
            new BuyerResponse(order.Contact.Name, order.Contact.WhatsApp),
            order is { Courier: { } courier, TrackingNumber: { } tracking, ShippedAt: { } shippedAt } ? new ShipmentResponse(courier, tracking, shippedAt) : null,
            // How the money came (card, ewallet for an online QRIS/GoPay payment, cash, qris at the kiosk), and why an
            // online QRIS/GoPay payment ended the order (payment_failed, payment_not_confirmed): the page says both in words.
            order.PaymentChannel,
            order.PaymentFailure);
    }
}
