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

public sealed record Contact(string Name, string WhatsApp, string? Email);

public sealed record ShippingAddress(string Recipient, string Street, string City, string Province, string PostalCode, string Zone);

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
    int WeightGrams)
{
    public long LineTotalRupiah => UnitPriceRupiah * Quantity;
}

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

    public string? CheckoutUrl { get; private set; }

    public DateTimeOffset? PaymentDeadline { get; private set; }

    public string? PaymentReference { get; private set; }

    public DateTimeOffset PlacedAt { get; private set; }

    public DateTimeOffset? PaidAt { get; private set; }

    public DateTimeOffset? ClosedAt { get; private set; }

    /// <summary>PostgreSQL's row version: two webhooks racing to pay one order cannot both win.</summary>
    public uint Version { get; private set; }

    public static Order Place(
        Guid cooperativeId, string owner, Contact contact, FulfilmentKind fulfilment, DateOnly? pickupDate, ShippingAddress? address,
        PaymentMethod payment, IReadOnlyList<OrderLine> lines, long shippingRupiah, DateTimeOffset now)
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
        };
    }

    public ReserveStock ReservationRequest(DateTimeOffset until) =>
        new(Id, CooperativeId, Lines.GroupBy(l => l.VariantId).Select(g => new StockLine(g.Key, g.Sum(l => l.Quantity))).ToList(), until);

    /// <summary>Catalog holds the stock. Returns whether this changed anything (a repeated message does not).</summary>
    public bool StockHeld(DateTimeOffset until)
    {
        if (Status != OrderStatus.Reserving)
        {
            return false;
        }

        ReservedUntil = until.ToUniversalTime();
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

    public void AttachCheckout(string sessionId, string url, DateTimeOffset deadline)
    {
        CheckoutSessionId = sessionId;
        CheckoutUrl = url;
        PaymentDeadline = deadline;
    }

    /// <summary>The payment is verified; the caller publishes what was sold. A second payment changes nothing.</summary>
    public bool MarkPaid(string reference, DateTimeOffset now)
    {
        if (Status == OrderStatus.Paid)
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

    public OrderPaid PaidEvent() => new(
        Id,
        CooperativeId,
        PaymentMethod == PaymentMethod.Card ? "card" : "kiosk",
        PaymentReference,
        Lines.Select(l => new SoldLine(l.Id, l.MemberId, l.ProductId, l.VariantId, l.Category, l.Name, l.Quantity, l.UnitPriceRupiah, l.LineTotalRupiah)).ToList(),
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
        builder.HasIndex(o => new { o.CooperativeId, o.PickupCode });
        builder.Property(o => o.Contact).HasJsonValueConversion();
        builder.Property(o => o.ShippingAddress).HasJsonValueConversion();
        builder.Property(o => o.Lines).HasJsonConversion();
        builder.Property(o => o.Shortages).HasJsonConversion();
        builder.Property(o => o.Status).HasConversion<string>().HasMaxLength(30);
        builder.Property(o => o.PaymentMethod).HasConversion<string>().HasMaxLength(10);
        builder.Property(o => o.Fulfilment).HasConversion<string>().HasMaxLength(10);
        builder.Property(o => o.CheckoutSessionId).HasMaxLength(100);
        builder.HasIndex(o => o.CheckoutSessionId).IsUnique();
        builder.Property(o => o.CheckoutUrl).HasMaxLength(500);
        builder.Property(o => o.PaymentReference).HasMaxLength(100);
        builder.HasIndex(o => new { o.Status, o.PaymentDeadline });
        builder.Property(o => o.Version).IsRowVersion();
    }
}
