using Marketplace.Orders.Baskets;
using Marketplace.Orders.OrderAggregate;
using Marketplace.ServiceDefaults.Formatting;
using Marketplace.ServiceDefaults.Identity;
using Microsoft.EntityFrameworkCore;

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
    string? PaymentFailure = null,
    OrderDisputeFlag? Dispute = null);

/// <summary>
/// A chargeback still open on the order (only its cooperative's admins are told): Stripe's status
/// (<c>needs_response</c>, <c>under_review</c>, <c>warning_*</c>), the last moment to answer it in Stripe's dashboard,
/// and what is disputed.
/// </summary>
public sealed record OrderDisputeFlag(string Id, string Status, DateTimeOffset DueBy, long AmountRupiah, string Reason);

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

    public static OrderResponse Describe(Order order) => Describe(order, null);

    /// <summary>The order, flagged with its open dispute (for its cooperative's admins).</summary>
    public static OrderResponse Describe(Order order, OrderDisputeFlag? dispute)
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
            order.PaymentFailure,
            dispute);
    }

    /// <summary>The open dispute of each of these orders that has one (the latest opened, should Stripe open a second).</summary>
    public static async Task<Dictionary<Guid, OrderDisputeFlag>> OpenDisputesAsync(OrdersDbContext db, IReadOnlyCollection<Guid> orderIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (orderIds.Count == 0)
        {
            return [];
        }

        var open = await db.OrderDisputes.AsNoTracking()
            .Where(d => orderIds.Contains(d.OrderId) && d.ClosedAt == null)
            .OrderBy(d => d.OpenedAt)
            .Select(d => new { d.OrderId, Flag = new OrderDisputeFlag(d.Id, d.Status, d.DueBy, d.AmountRupiah, d.Reason) })
            .ToListAsync(cancellationToken);
        var flags = new Dictionary<Guid, OrderDisputeFlag>();
        foreach (var dispute in open)
        {
            flags[dispute.OrderId] = dispute.Flag;
        }

        return flags;
    }
}
