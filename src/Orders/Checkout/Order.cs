using System.Security.Cryptography;
using Marketplace.Contracts.Catalog;
using Marketplace.Contracts.Orders;
using Marketplace.ServiceDefaults.Data;
using Marketplace.ServiceDefaults.Errors;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Orders.Checkout;

public enum OrderStatus
{
    /// <summary>Placed; Catalog is asked to hold its stock.</summary>
    Reserving,

    /// <summary>Catalog could not hold every line; nothing is held, nothing is owed.</summary>
    StockRefused,

    /// <summary>Stock held; waiting for the card payment on Stripe's page.</summary>
    AwaitingPayment,

    /// <summary>Stock held until the end of the pickup day; paid in cash or QRIS at the kiosk.</summary>
    AwaitingKioskPayment,

    Paid,

    /// <summary>Picked up at the kiosk: every line reached the shopper.</summary>
    HandedOver,

    /// <summary>Given to the courier, with its tracking number.</summary>
    Shipped,

    Delivered,

    /// <summary>Not paid in time; its stock went back on sale.</summary>
    Expired,

    Cancelled,
}

public enum PaymentMethod
{
    Card,
    Kiosk,
}

public enum FulfilmentKind
{
    Pickup,
    Shipping,
}

/// <summary>The languages a shopper reads the marketplace in: Bahasa Indonesia unless she chose English.</summary>
public static class ShopperLanguage
{
    public const string Indonesian = "id";
    public const string English = "en";

    public static string Of(string? code) => string.Equals(code?.Trim(), English, StringComparison.OrdinalIgnoreCase) ? English : Indonesian;
}

public sealed record Contact(string Name, string WhatsApp, string? Email);

/// <summary>Where a parcel goes. <see cref="Zone"/> is set from the province when the order is placed.</summary>
public sealed record ShippingAddress(string Recipient, string Street, string City, string Province, string PostalCode, string? Zone = null);

public sealed record OrderLine(
    Guid Id,
    Guid ProductId,
    Guid VariantId,
    Guid MemberId,
    string Category,
    string Name,
    string VariantLabel,
    int Quantity,
    long UnitPriceRupiah,
    int WeightGrams,
    DateTimeOffset? ReadyAt = null,
    DateTimeOffset? FulfilledAt = null,
    int RefundedQuantity = 0,
    decimal FeePercent = 0,
    string? NameEn = null)
{
    public long LineTotalRupiah => UnitPriceRupiah * Quantity;
}

/// <summary>How much of which line a refund gives back.</summary>
public sealed record RefundLineRequest(Guid LineId, int Quantity);

/// <summary>
/// A basket turned into a sale by one cooperative. Its money is fixed when it is placed (server prices, shipping
/// from the cooperative's table); from then on only its status moves, and only along the allowed steps.
/// </summary>
public sealed class Order
{
    private Order()
    {
    }

    public Guid Id { get; private set; }

    public Guid CooperativeId { get; private set; }

    public string Owner { get; private set; } = string.Empty;

    /// <summary>What the shopper shows at the kiosk.</summary>
    public string PickupCode { get; private set; } = string.Empty;

    public Contact Contact { get; private set; } = new(string.Empty, string.Empty, null);

    /// <summary>The shopper's language when she checked out (<c>id</c> or <c>en</c>): what Stripe's page and any message to her use.</summary>
    public string Language { get; private set; } = ShopperLanguage.Indonesian;

    public FulfilmentKind Fulfilment { get; private set; }

    public DateOnly? PickupDate { get; private set; }

    public ShippingAddress? ShippingAddress { get; private set; }

    public PaymentMethod PaymentMethod { get; private set; }

    public List<OrderLine> Lines { get; private set; } = [];

    public long ItemsTotalRupiah { get; private set; }

    public long ShippingRupiah { get; private set; }

    public long TotalRupiah { get; private set; }

    public OrderStatus Status { get; private set; }

    public List<StockShortage> Shortages { get; private set; } = [];

    public DateTimeOffset? ReservedUntil { get; private set; }

    public string? CheckoutSessionId { get; private set; }

    /// <summary>The cooperative's Stripe account the session was opened on: payments and refunds stay there even if the setting changes.</summary>
    public string? StripeAccountId { get; private set; }

    /// <summary>When Catalog took the sold stock off the shelf; nothing leaves the kiosk before.</summary>
    public DateTimeOffset? StockConfirmedAt { get; private set; }

    public string? CheckoutUrl { get; private set; }

    public DateTimeOffset? PaymentDeadline { get; private set; }

    public string? PaymentReference { get; private set; }

    public DateTimeOffset PlacedAt { get; private set; }

    public DateTimeOffset? PaidAt { get; private set; }

    public DateTimeOffset? ClosedAt { get; private set; }

    public string? Courier { get; private set; }

    public string? TrackingNumber { get; private set; }

    public DateTimeOffset? ShippedAt { get; private set; }

    public DateTimeOffset? FulfilledAt { get; private set; }

    /// <summary>Refunded or being refunded: it counts as soon as a refund is started, so two cannot both pass the limit.</summary>
    public long RefundedRupiah { get; private set; }

    public bool ShippingRefunded { get; private set; }

    public string? CancelledBy { get; private set; }

    public bool IsPaid => PaidAt is not null;

    /// <summary>PostgreSQL's row version: two webhooks racing to pay one order cannot both win.</summary>
    public uint Version { get; private set; }

    public static Order Place(
        Guid cooperativeId, string owner, Contact contact, FulfilmentKind fulfilment, DateOnly? pickupDate, ShippingAddress? address,
        PaymentMethod payment, IReadOnlyList<OrderLine> lines, long shippingRupiah, DateTimeOffset now, string language = ShopperLanguage.Indonesian)
    {
        ArgumentNullException.ThrowIfNull(lines);
        if (lines.Count == 0)
        {
            throw new DomainException("The basket is empty.", "empty_basket");
        }

        if (payment == PaymentMethod.Kiosk && fulfilment != FulfilmentKind.Pickup)
        {
            throw new DomainException("Paying at the kiosk is only possible when picking up at the kiosk.", "kiosk_payment_needs_pickup");
        }

        var items = lines.Sum(l => l.LineTotalRupiah);
        return new Order
        {
            Id = Guid.CreateVersion7(),
            CooperativeId = cooperativeId,
            Owner = owner,
            PickupCode = NewPickupCode(),
            Contact = contact,
            Fulfilment = fulfilment,
            PickupDate = pickupDate,
            ShippingAddress = address,
            PaymentMethod = payment,
            Lines = [.. lines],
            ItemsTotalRupiah = items,
            ShippingRupiah = shippingRupiah,
            TotalRupiah = items + shippingRupiah,
            Status = OrderStatus.Reserving,
            PlacedAt = now,
            Language = ShopperLanguage.Of(language),
        };
    }

    /// <summary>The line's name in the shopper's language, where the maker gave one in it.</summary>
    public string NameFor(OrderLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return Language == ShopperLanguage.English && !string.IsNullOrWhiteSpace(line.NameEn) ? line.NameEn : line.Name;
    }

    public ReserveStock ReservationRequest(DateTimeOffset until) =>
        new(Id, CooperativeId, Lines.GroupBy(l => l.VariantId).Select(g => new StockLine(g.Key, g.Sum(l => l.Quantity))).ToList(), until);

    /// <summary>Catalog holds the stock. Returns whether this changed anything (a repeated message does not).</summary>
    public bool StockHeld(DateTimeOffset until, DateTimeOffset paymentDeadline)
    {
        if (Status != OrderStatus.Reserving)
        {
            return false;
        }

        ReservedUntil = until;
        PaymentDeadline = PaymentMethod == PaymentMethod.Card ? paymentDeadline : null;
        Status = PaymentMethod == PaymentMethod.Card ? OrderStatus.AwaitingPayment : OrderStatus.AwaitingKioskPayment;
        return true;
    }

    public bool StockRefused(IReadOnlyList<StockShortage> shortages, DateTimeOffset now)
    {
        if (Status != OrderStatus.Reserving)
        {
            return false;
        }

        Shortages = [.. shortages];
        Status = OrderStatus.StockRefused;
        ClosedAt = now;
        return true;
    }

    public void AttachCheckout(string sessionId, string url, DateTimeOffset deadline, string stripeAccountId)
    {
        CheckoutSessionId = sessionId;
        StripeAccountId = stripeAccountId;
        CheckoutUrl = url;
        PaymentDeadline = deadline;
    }

    /// <summary>The payment is verified; the caller publishes what was sold. A second payment changes nothing.</summary>
    public bool MarkPaid(string reference, DateTimeOffset now)
    {
        if (IsPaid)
        {
            return false;
        }

        if (Status is not (OrderStatus.AwaitingPayment or OrderStatus.AwaitingKioskPayment or OrderStatus.Expired))
        {
            throw new ConflictException($"An order that is {Status} cannot be paid.", "illegal_transition");
        }

        // A card payment can complete just after the deadline passed here: the money is real, so the order is paid
        // (Catalog then confirms the stock if it still can, and the order is refunded if not).
        Status = OrderStatus.Paid;
        PaymentReference = reference;
        PaidAt = now;
        ClosedAt = null;
        return true;
    }

    /// <summary>
    /// Money arrived for an order already cancelled (the shopper paid as it was being cancelled): it is recorded, so
    /// the books show it, and the caller refunds it in full. The order stays cancelled.
    /// </summary>
    public void RecordLatePayment(string reference, DateTimeOffset now)
    {
        if (Status != OrderStatus.Cancelled || IsPaid)
        {
            throw new InvalidOperationException("Only an unpaid cancelled order takes a late payment.");
        }

        PaymentReference = reference;
        PaidAt = now;
    }

    public void StockConfirmed(DateTimeOffset now) => StockConfirmedAt ??= now;

    public bool Expire(DateTimeOffset now)
    {
        if (Status is not (OrderStatus.AwaitingPayment or OrderStatus.AwaitingKioskPayment or OrderStatus.Reserving))
        {
            return false;
        }

        Status = OrderStatus.Expired;
        ClosedAt = now;
        return true;
    }

    /// <summary>The member marks her line prepared. Only a paid order, only her own line.</summary>
    public void MarkLineReady(Guid lineId, Guid memberId, DateTimeOffset now)
    {
        var line = Lines.FirstOrDefault(l => l.Id == lineId && l.MemberId == memberId)
            ?? throw new NotFoundException("No such line of yours in this order.");
        if (Status != OrderStatus.Paid)
        {
            throw new ConflictException($"Lines of an order that is {Status} are not prepared.", "illegal_transition");
        }

        if (line.ReadyAt is null)
        {
            Replace(line, line with { ReadyAt = now });
        }
    }

    /// <summary>The kiosk hands the whole basket over: every line is fulfilled now.</summary>
    public OrderLinesFulfilled HandOver(DateTimeOffset now)
    {
        Require(OrderStatus.Paid, "handed over");
        RequireStockConfirmed();
        if (Fulfilment != FulfilmentKind.Pickup)
        {
            throw new ConflictException("This order is shipped, not picked up: mark it shipped, then delivered.", "illegal_transition");
        }

        Status = OrderStatus.HandedOver;
        return Fulfil(now, "handed_over");
    }

    public void Ship(string courier, string trackingNumber, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(courier) || string.IsNullOrWhiteSpace(trackingNumber) || courier.Length > 40 || trackingNumber.Length > 60)
        {
            throw new DomainException("A courier (e.g. JNE) and its tracking number are needed.", "invalid_shipment");
        }

        Require(OrderStatus.Paid, "shipped");
        RequireStockConfirmed();
        if (Fulfilment != FulfilmentKind.Shipping)
        {
            throw new ConflictException("This order is picked up at the kiosk, not shipped.", "illegal_transition");
        }

        Status = OrderStatus.Shipped;
        Courier = courier.Trim();
        TrackingNumber = trackingNumber.Trim();
        ShippedAt = now;
    }

    public OrderLinesFulfilled Deliver(DateTimeOffset now)
    {
        Require(OrderStatus.Shipped, "delivered");
        Status = OrderStatus.Delivered;
        return Fulfil(now, "delivered");
    }

    /// <summary>
    /// Cancels the order. The shopper may cancel only while it is unpaid; an admin, until it is handed over or
    /// shipped (a paid order is then refunded in full by the caller).
    /// </summary>
    public void Cancel(string by, bool byAdmin, DateTimeOffset now)
    {
        var allowed = byAdmin
            ? Status is OrderStatus.Reserving or OrderStatus.AwaitingPayment or OrderStatus.AwaitingKioskPayment or OrderStatus.Paid
            : Status is OrderStatus.Reserving or OrderStatus.AwaitingPayment or OrderStatus.AwaitingKioskPayment;
        if (!allowed)
        {
            throw new ConflictException(
                byAdmin ? $"An order that is {Status} cannot be cancelled." : $"An order that is {Status} can only be cancelled by the cooperative.",
                "illegal_transition");
        }

        Status = OrderStatus.Cancelled;
        CancelledBy = by;
        ClosedAt = now;
    }

    /// <summary>
    /// Reserves a refund on this order: the lines' quantities and the shipping, never more than was paid and not yet
    /// refunded. Returns what each line gives back.
    /// </summary>
    public (List<RefundedLine> Lines, long Shipping, long Total) PlanRefund(IReadOnlyList<RefundLineRequest> requested, bool includeShipping)
    {
        ArgumentNullException.ThrowIfNull(requested);
        if (!IsPaid)
        {
            throw new ConflictException("Nothing was paid on this order, so nothing can be refunded.", "not_paid");
        }

        var refunded = new List<RefundedLine>();
        foreach (var group in requested.GroupBy(r => r.LineId))
        {
            var quantity = group.Sum(r => (long)r.Quantity);
            var line = Lines.FirstOrDefault(l => l.Id == group.Key) ?? throw new DomainException($"Line {group.Key} is not in this order.", "invalid_line");
            if (quantity <= 0 || quantity > line.Quantity - line.RefundedQuantity)
            {
                throw new DomainException(
                    $"Line \"{line.Name}\" has {line.Quantity - line.RefundedQuantity} left to refund, not {quantity}.", "refund_exceeds_payment");
            }

            refunded.Add(new RefundedLine(line.Id, line.MemberId, (int)quantity, quantity * line.UnitPriceRupiah));
        }

        if (includeShipping && (ShippingRefunded || ShippingRupiah == 0))
        {
            throw new DomainException("There is no shipping left to refund.", "refund_exceeds_payment");
        }

        var shipping = includeShipping ? ShippingRupiah : 0;
        var total = refunded.Sum(l => l.AmountRupiah) + shipping;
        if (total <= 0)
        {
            throw new DomainException("A refund gives back at least one item or the shipping.", "empty_refund");
        }

        if (RefundedRupiah + total > TotalRupiah)
        {
            throw new DomainException("A refund cannot give back more than was paid.", "refund_exceeds_payment");
        }

        foreach (var line in refunded)
        {
            var current = Lines.First(l => l.Id == line.OrderLineId);
            Replace(current, current with { RefundedQuantity = current.RefundedQuantity + line.Quantity });
        }

        ShippingRefunded |= includeShipping;
        RefundedRupiah += total;
        return (refunded, shipping, total);
    }

    /// <summary>Stripe refused a refund: what it had reserved is available again.</summary>
    public void UndoRefund(IReadOnlyList<RefundedLine> lines, long shipping, long total)
    {
        ArgumentNullException.ThrowIfNull(lines);
        foreach (var line in lines)
        {
            var current = Lines.First(l => l.Id == line.OrderLineId);
            Replace(current, current with { RefundedQuantity = current.RefundedQuantity - line.Quantity });
        }

        if (shipping > 0)
        {
            ShippingRefunded = false;
        }

        RefundedRupiah -= total;
    }

    /// <summary>Everything paid and not yet refunded, for cancelling a paid order.</summary>
    public List<RefundLineRequest> RemainingLines() =>
        Lines.Where(l => l.Quantity > l.RefundedQuantity).Select(l => new RefundLineRequest(l.Id, l.Quantity - l.RefundedQuantity)).ToList();

    private OrderLinesFulfilled Fulfil(DateTimeOffset now, string how)
    {
        Lines = Lines.Select(l => l with { FulfilledAt = now }).ToList();
        FulfilledAt = now;
        return new OrderLinesFulfilled(Id, CooperativeId,
            Lines.Where(l => l.Quantity > l.RefundedQuantity).Select(l => new FulfilledLine(l.Id, l.MemberId, l.Quantity - l.RefundedQuantity)).ToList(),
            how, now);
    }

    private void RequireStockConfirmed()
    {
        if (StockConfirmedAt is null)
        {
            throw new ConflictException("Catalog has not yet confirmed this order's stock; try again in a moment.", "stock_not_confirmed");
        }
    }

    private void Require(OrderStatus status, string step)
    {
        if (Status != status)
        {
            throw new ConflictException($"An order that is {Status} cannot be {step}.", "illegal_transition");
        }
    }

    private void Replace(OrderLine line, OrderLine updated) =>
        Lines = Lines.Select(l => l.Id == line.Id ? updated : l).ToList();

    public OrderPaid PaidEvent() => new(
        Id,
        CooperativeId,
        PaymentMethod == PaymentMethod.Card ? "card" : "kiosk",
        PaymentReference,
        Lines.Select(l => new SoldLine(l.Id, l.MemberId, l.ProductId, l.VariantId, l.Category, l.Name, l.Quantity, l.UnitPriceRupiah, l.LineTotalRupiah, l.FeePercent)).ToList(),
        ShippingRupiah,
        TotalRupiah,
        PaidAt!.Value);

    /// <summary>Six characters from an alphabet without look-alikes, easy to read out at a busy kiosk.</summary>
    private static string NewPickupCode()
    {
        const string alphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ";
        return string.Create(6, alphabet, (span, chars) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = chars[RandomNumberGenerator.GetInt32(chars.Length)];
            }
        });
    }
}

internal sealed class OrderConfiguration : IEntityTypeConfiguration<Order>
{
    public void Configure(EntityTypeBuilder<Order> builder)
    {
        builder.ToTable("orders");
        builder.HasKey(o => o.Id);
        builder.Property(o => o.Owner).HasMaxLength(60);
        builder.HasIndex(o => o.Owner);
        builder.Property(o => o.PickupCode).HasMaxLength(6);
        builder.Property(o => o.Language).HasMaxLength(2).HasDefaultValue(ShopperLanguage.Indonesian);
        builder.HasIndex(o => new { o.CooperativeId, o.PickupCode });
        builder.HasIndex(o => new { o.CooperativeId, o.PlacedAt });
        builder.Property(o => o.Contact).HasJsonValueConversion();
        builder.Property(o => o.ShippingAddress).HasJsonValueConversion();
        builder.Property(o => o.Lines).HasJsonConversion();
        builder.Property(o => o.Shortages).HasJsonConversion();
        builder.Property(o => o.Status).HasConversion<string>().HasMaxLength(30);
        builder.Property(o => o.PaymentMethod).HasConversion<string>().HasMaxLength(10);
        builder.Property(o => o.Fulfilment).HasConversion<string>().HasMaxLength(10);
        builder.Property(o => o.CheckoutSessionId).HasMaxLength(100);
        builder.Property(o => o.StripeAccountId).HasMaxLength(64);
        builder.HasIndex(o => o.CheckoutSessionId).IsUnique();
        builder.Property(o => o.CheckoutUrl).HasMaxLength(500);
        builder.Property(o => o.PaymentReference).HasMaxLength(100);
        builder.HasIndex(o => new { o.Status, o.PaymentDeadline });
        builder.Property(o => o.Courier).HasMaxLength(40);
        builder.Property(o => o.TrackingNumber).HasMaxLength(60);
        builder.Property(o => o.CancelledBy).HasMaxLength(20);
        builder.Property(o => o.Version).IsRowVersion();
    }
}
