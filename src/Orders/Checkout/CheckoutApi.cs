using Marketplace.Orders.Baskets;
using Marketplace.Orders.Merchants;
using Marketplace.Orders.OrderAggregate;
using Marketplace.Orders.Payments;
using Marketplace.Orders.Sellables;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Identity;
using Marketplace.ServiceDefaults.Formatting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Marketplace.Orders.Checkout;

public sealed record CheckoutRequest(
    string Name,
    string WhatsApp,
    string? Email,
    FulfilmentKind Fulfilment,
    DateOnly? PickupDate,
    ShippingAddress? ShippingAddress,
    PaymentMethod Payment,
    string? Language = null,
    long? ExpectedTotalRupiah = null);

public static class CheckoutApi
{
    public static RouteGroupBuilder MapCheckoutApi(this RouteGroupBuilder api)
    {
        api.MapPost("/baskets/{cooperativeId:guid}/checkout", CheckOutAsync)
            .WithTags("Checkout")
            .WithName("CheckOut")
            .WithSummary("Places the basket as an order: stock is held, then the order waits for its card payment (see checkoutUrl) or for payment at the kiosk.");
        api.MapShippingQuotes();
        return api;
    }

    private static async Task<Accepted<OrderResponse>> CheckOutAsync(
        Guid cooperativeId,
        CheckoutRequest request,
        HttpContext http,
        OrdersDbContext db,
        TimeProvider clock,
        IOptions<StripeOptions> stripe,
        CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var owner = await BasketStore.ClaimGuestAsync(http, db, clock, cancellationToken)
            ?? throw new DomainException("The basket is empty.", "empty_basket");
        var basket = await db.Baskets.FirstOrDefaultAsync(b => b.Owner == owner && b.CooperativeId == cooperativeId, cancellationToken)
            ?? throw new DomainException("The basket is empty.", "empty_basket");
        var merchant = await db.Merchants.FirstOrDefaultAsync(m => m.CooperativeId == cooperativeId, cancellationToken)
            ?? throw new NotFoundException("No such cooperative.");
        if (!merchant.Active)
        {
            throw new ConflictException("This cooperative is not selling at the moment.", "cooperative_inactive");
        }

        var priced = await Pricing.PriceAsync(db, cooperativeId, basket.Lines, cancellationToken);
        if (priced.FirstOrDefault(p => !p.Available) is { } gone)
        {
            throw new ConflictException($"\"{gone.Name}\" is no longer on sale: remove it from the basket first.", "line_unavailable");
        }

        // The fee is fixed when the order is placed: a later change of policy does not reach back.
        var lines = priced.Select(p => new OrderLine(Guid.CreateVersion7(), p.ProductId, p.VariantId, p.MemberId, p.Category, p.Name, p.VariantLabel,
            p.Quantity, p.UnitPriceRupiah, p.WeightGrams, FeePercent: merchant.FeePercentFor(p.Category), NameEn: p.NameEn)).ToList();
        // Every mistake in the shopper's details at once, each at its field: name, number, email, day or address.
        var errors = new FieldErrors();
        var contact = errors.Check(string.Empty, () => ValidContact(request));
        var (pickupDate, address, shipping, reservedUntil) = request.Fulfilment switch
        {
            FulfilmentKind.Pickup => errors.Check("pickupDate", () => Pickup(merchant, request.PickupDate, now, request.Payment)),
            FulfilmentKind.Shipping => errors.Check(string.Empty, () => Shipping(merchant, request.ShippingAddress, lines.Sum(l => l.WeightGrams * l.Quantity))),
            _ => throw new DomainException("fulfilment is pickup or shipping.", "invalid_fulfilment"),
        };
        if (request.Fulfilment == FulfilmentKind.Shipping)
        {
            // A maker on holiday cannot pack a parcel; her goods already at the kiosk are still picked up there. Judged by
            // the kiosk's calendar, from Orders' own copy of the holidays (never by calling Catalog).
            var today = LocalTime.Today(now, merchant.TimeZone);
            var away = await MemberHolidays.AwayOnAsync(db, lines.Select(l => l.MemberId), today, cancellationToken);
            foreach (var line in lines.Where(l => away.ContainsKey(l.MemberId)).DistinctBy(l => l.ProductId))
            {
                var back = away[line.MemberId].AddDays(1);
                errors.Add("fulfilment", "maker_away",
                    $"\"{line.Name}\" cannot be shipped before {back:yyyy-MM-dd}: its maker is on holiday. Pick it up at the kiosk, or remove it from the basket.");
            }
        }

        errors.ThrowIfAny();

        if (request.Payment == PaymentMethod.Card)
        {
            // Only while Stripe lets the cooperative's account take payments (onboarding done, nothing overdue).
            if (!merchant.TakesCards)
            {
                throw new ConflictException("This cooperative does not take card payments yet: pay at the kiosk.", "cards_not_accepted");
            }

            reservedUntil = now + stripe.Value.CheckoutLifetime + TimeSpan.FromMinutes(15);
        }
        else if (request.Payment != PaymentMethod.Kiosk)
        {
            throw new DomainException("payment is card or kiosk.", "invalid_payment");
        }

        var client = ForwardedClient.Address(http);
        await RefuseHoardingAsync(db, merchant, request.Payment, contact!.WhatsApp, client, cancellationToken);

        // A card order holds its stock too, for its payment page's lifetime and longer while a QRIS or GoPay payment is
        // confirmed: the same share of a size bounds it, or one checkout left open could empty a product.
        var order = Order.Place(
            cooperativeId, owner, contact!, request.Fulfilment, pickupDate, address, request.Payment, lines, shipping, now, reservedUntil, ShopperLanguage.Of(request.Language),
            client, merchant.KioskHolds.MaxSharePercent);
        if (request.ExpectedTotalRupiah is { } shown && shown != order.TotalRupiah)
        {
            // The shopper agreed to the total the page showed her; a price or shipping rate that changed since is
            // shown to her again rather than charged.
            throw new ConflictException($"The total is now {Rupiah.Display(order.TotalRupiah)}, not {Rupiah.Display(shown)}: check it and order again.", "total_changed");
        }

        if (order.PaymentMethod == PaymentMethod.Card && order.TotalRupiah < stripe.Value.MinimumCardTotalRupiah)
        {
            throw new DomainException($"Card payments start at {Rupiah.Display(stripe.Value.MinimumCardTotalRupiah)}.", "below_card_minimum");
        }

        if (order.PaymentMethod == PaymentMethod.Card && OnlinePaymentMethods.Offered(stripe.Value, merchant.StripeAccount, order.TotalRupiah).Count == 0)
        {
            // Stripe withdrew from the account every method the page would offer for this total, cards included: a page
            // with nothing to pay by would only hold the stock until it expired.
            throw new ConflictException("This cooperative cannot take an online payment for this order at the moment: pay at the kiosk.", "online_payment_unavailable");
        }

        db.Orders.Add(order);
        basket.Empty(now);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Accepted($"/api/orders/orders/{order.Id}", OrderResponses.Describe(order));
    }

    private static Contact ValidContact(CheckoutRequest request)
    {
        var errors = new FieldErrors();
        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 100)
        {
            errors.Add("name", "invalid_name", "A name of 1 to 100 characters is needed for the order.");
        }

        var email = string.IsNullOrWhiteSpace(request.Email) ? null : request.Email.Trim();
        if (email is not null && (email.Length > 254 || !email.Contains('@', StringComparison.Ordinal)))
        {
            errors.Add("email", "invalid_email", "That does not look like an email address.");
        }

        var whatsApp = errors.Check("whatsApp", () => WhatsAppNumber.Normalize(request.WhatsApp ?? string.Empty));
        errors.ThrowIfAny();
        return new Contact(name!, whatsApp!, email);
    }

    /// <summary>
    /// Stock held for orders nobody pays for is stock nobody else can buy: one WhatsApp number and one client address may
    /// have only so many open unpaid orders at this cooperative. Kiosk and card orders are counted apart, each against the
    /// same caps: a kiosk order holds for days, a card order for its payment page's hour (longer while Stripe confirms a
    /// QRIS payment), and a shopper at her kiosk cap may still pay by card. Counted from the orders themselves, so a race
    /// of two checkouts may pass one over the cap, never more than the replicas racing.
    /// </summary>
    private static async Task RefuseHoardingAsync(
        OrdersDbContext db, Merchant merchant, PaymentMethod payment, string whatsApp, string? client, CancellationToken cancellationToken)
    {
        var open = payment == PaymentMethod.Kiosk
            ? db.Orders.Where(o => o.CooperativeId == merchant.CooperativeId && o.PaymentMethod == PaymentMethod.Kiosk
                && (o.Status == OrderStatus.Reserving || o.Status == OrderStatus.AwaitingKioskPayment))
            : db.Orders.Where(o => o.CooperativeId == merchant.CooperativeId && o.PaymentMethod == PaymentMethod.Card
                && (o.Status == OrderStatus.Reserving || o.Status == OrderStatus.AwaitingPayment || o.Status == OrderStatus.ConfirmingPayment));
        var limits = merchant.KioskHolds;
        var where = payment == PaymentMethod.Kiosk ? "to pick up" : "waiting for their card payment";
        if (await open.CountAsync(o => o.BuyerWhatsApp == whatsApp, cancellationToken) >= limits.MaxOpenPerPhone)
        {
            throw new ConflictException(
                $"This WhatsApp number already has {limits.MaxOpenPerPhone} unpaid orders {where}: pay or cancel one first.", "too_many_open_orders");
        }

        if (client is not null && await open.CountAsync(o => o.ClientAddress == client, cancellationToken) >= limits.MaxOpenPerClient)
        {
            throw new ConflictException(
                payment == PaymentMethod.Kiosk
                    ? $"{limits.MaxOpenPerClient} unpaid orders to pick up were already placed from here: pay or cancel one first, or pay by card."
                    : $"{limits.MaxOpenPerClient} unpaid card orders were already placed from here: pay for one, or wait until an unpaid one expires.",
                "too_many_open_orders_here");
        }
    }

    /// <summary>
    /// A pickup day when the kiosk opens, today up to the cooperative's days ahead when paying at the kiosk (30 when paid by
    /// card: nothing is held for it); the stock is held until it closes that day.
    /// </summary>
    private static (DateOnly?, ShippingAddress?, long, DateTimeOffset?) Pickup(Merchant merchant, DateOnly? date, DateTimeOffset now, PaymentMethod payment)
    {
        if (date is null)
        {
            throw new DomainException("pickupDate is needed for pickup at the kiosk.", "invalid_pickup_date");
        }

        var zone = LocalTime.Zone(merchant.TimeZone);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        if (date < today || date > today.AddDays(30))
        {
            throw new DomainException("The pickup day is today or within the next 30 days.", "invalid_pickup_date");
        }

        var daysAhead = merchant.KioskHolds.PickupDaysAhead;
        if (payment == PaymentMethod.Kiosk && date > today.AddDays(daysAhead))
        {
            throw new DomainException(
                $"Paying at the kiosk, pick up within {daysAhead} days (by {today.AddDays(daysAhead):yyyy-MM-dd}); or pay by card.", "pickup_too_far");
        }

        var hours = merchant.KioskOpeningHours.Where(h => h.Day == date.Value.DayOfWeek).ToList();
        if (hours.Count == 0)
        {
            throw new DomainException($"The kiosk is closed on {date.Value.DayOfWeek}: choose another day.", "kiosk_closed");
        }

        var closes = hours.Max(h => h.Closes);
        var closing = new DateTimeOffset(date.Value.ToDateTime(closes), zone.GetUtcOffset(date.Value.ToDateTime(closes)));
        if (closing <= now)
        {
            throw new DomainException("The kiosk has closed for today: choose another day.", "kiosk_closed");
        }

        return (date, null, 0, closing);
    }

    /// <summary>Shipping is priced from the province: the zone is the marketplace's to know, not the shopper's.</summary>
    private static (DateOnly?, ShippingAddress?, long, DateTimeOffset?) Shipping(Merchant merchant, ShippingAddress? address, int grams)
    {
        static ValidationFailedException AtProvince(string code, string message) =>
            new([new FieldError("shippingAddress.province", code, message)]);

        if (address is null || new[] { address.Recipient, address.Street, address.City, address.Province, address.PostalCode }.Any(string.IsNullOrWhiteSpace))
        {
            throw new ValidationFailedException([new FieldError("shippingAddress", "invalid_address", "A shipping address needs recipient, street, city, province and postal code.")]);
        }

        var province = ShippingZones.Find(address.Province)
            ?? throw AtProvince("unknown_province", $"\"{address.Province}\" is not a province of Indonesia.");
        var rate = merchant.RateFor(province, grams)
            ?? throw AtProvince("no_shipping_rate", $"This cooperative does not ship {grams} g to {province.Name}.");
        return (null, address with { Province = province.Name, Zone = province.Zone.Code }, rate.PriceRupiah, null);
    }
}
