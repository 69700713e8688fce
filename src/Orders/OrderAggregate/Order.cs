using System.Security.Cryptography;
using Marketplace.Contracts.Catalog;
using Marketplace.Contracts.Orders;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Identity;
using Marketplace.ServiceDefaults.Messaging;

namespace Marketplace.Orders.OrderAggregate;

/// <summary>
/// A basket turned into a sale by one cooperative. Its money is fixed when it is placed (server prices, shipping
/// from the cooperative's table); from then on only its status moves, and only along the allowed steps (the diagram
/// in docs/orders.md). Each step records the messages it owes (stock to hold, confirm or release; what was sold,
/// handed over or cancelled), and the save that stores the step writes them to the outbox.
/// </summary>
public sealed class Order : AggregateRoot
{
    /// <summary>Refused steps all carry this code, in every service: the client shows why, and offers nothing to retry.</summary>
    public const string IllegalTransition = "illegal_transition";

    private Order()
    {
    }

    public Guid Id { get; private set; }

    public Guid CooperativeId { get; private set; }

    public string Owner { get; private set; } = string.Empty;

    /// <summary>The shopper's account when she ordered signed in (an owner <c>user:{id}</c>); null for a guest.</summary>
    public Guid? OwnerAccount =>
        Owner.StartsWith("user:", StringComparison.Ordinal) && Guid.TryParse(Owner.AsSpan(5), out var id) ? id : null;

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

    public List<StockShortfall> Shortages { get; private set; } = [];

    public DateTimeOffset? ReservedUntil { get; private set; }

    public string? CheckoutSessionId { get; private set; }

    /// <summary>The cooperative's Stripe account the session was opened on: payments and refunds stay there even if the setting changes.</summary>
    public string? StripeAccountId { get; private set; }

    /// <summary>When Catalog took the sold stock off the shelf; nothing leaves the kiosk before.</summary>
    public DateTimeOffset? StockConfirmedAt { get; private set; }

    public string? CheckoutUrl { get; private set; }

    public DateTimeOffset? PaymentDeadline { get; private set; }

    /// <summary>How the money came in; set with <see cref="PaidAt"/>.</summary>
    public PaymentChannel? PaymentChannel { get; private set; }

    /// <summary>Stripe's PaymentIntent for a card; the QRIS transaction's reference if the kiosk noted one.</summary>
    public string? PaymentReference { get; private set; }

    public DateTimeOffset PlacedAt { get; private set; }

    public DateTimeOffset? PaidAt { get; private set; }

    /// <summary>
    /// Stripe's fees for the payment were told to Settlement, with the payment or after it: a later webhook or payout
    /// that carries them again neither asks Stripe nor tells Settlement a second time.
    /// </summary>
    public bool PaymentFeesRecorded { get; private set; }

    public DateTimeOffset? ClosedAt { get; private set; }

    public string? Courier { get; private set; }

    public string? TrackingNumber { get; private set; }

    public DateTimeOffset? ShippedAt { get; private set; }

    public DateTimeOffset? FulfilledAt { get; private set; }

    /// <summary>Refunded or being refunded: it counts as soon as a refund is started, so two cannot both pass the limit.</summary>
    public long RefundedRupiah { get; private set; }

    public bool ShippingRefunded { get; private set; }

    public string? CancelledBy { get; private set; }

    /// <summary>
    /// Why an online QRIS or GoPay payment did not go through, when the order ended for it: <see cref="PaymentFailures"/>
    /// (the shopper's page says it in her words, and that the stock was released); null otherwise.
    /// </summary>
    public string? PaymentFailure { get; private set; }

    /// <summary>Why the cooperative released the order's held stock (<see cref="ReleaseHold"/>); null otherwise.</summary>
    public string? CancelReason { get; private set; }

    /// <summary>The address the order was placed from, as the Gateway saw it: open unpaid orders are counted per address.</summary>
    public string? ClientAddress { get; private set; }

    /// <summary>The buyer's WhatsApp number (E.164) as its own column, so open unpaid orders are counted per number by an index.</summary>
    public string BuyerWhatsApp { get; private set; } = string.Empty;

    public bool IsPaid => PaidAt is not null;

    /// <summary>A walk-in sale's receipt number (nota), per cooperative, e.g. <c>K-20261201-0007</c>; null for an online order.</summary>
    public string? ReceiptNumber { get; private set; }

    /// <summary>The till session whose drawer took a walk-in sale's cash (and counts its QRIS).</summary>
    public Guid? TillSessionId { get; private set; }

    /// <summary>A walk-in sale an admin should look at: sent after its till session closed, or sold at a price that had changed.</summary>
    public bool CounterFlagged { get; private set; }

    /// <summary>What only a walk-in sale has: receipt key, cash tendered and change, clerk, flags.</summary>
    public CounterSale? Counter { get; private set; }

    /// <summary>
    /// The institution a paid order's kuitansi is made out to, as the buyer asked for it; null: the receipt names
    /// nobody but the order. Kept on the order so the same document comes out every time it is downloaded.
    /// </summary>
    public KuitansiRecipient? Kuitansi { get; private set; }

    /// <summary>PostgreSQL's row version: two webhooks racing to pay one order cannot both win.</summary>
    public uint Version { get; private set; }

    private string Key => Id.ToString();

    /// <summary>
    /// Places the order and asks Catalog to hold its stock until <paramref name="holdStockUntil"/>: the end of the
    /// pickup day, or the card payment's deadline with a margin. Null only where the order is refused anyway.
    /// </summary>
    public static Order Place(
        Guid cooperativeId, string owner, Contact contact, FulfilmentKind fulfilment, DateOnly? pickupDate, ShippingAddress? address,
        PaymentMethod payment, IReadOnlyList<OrderLine> lines, long shippingRupiah, DateTimeOffset now, DateTimeOffset? holdStockUntil,
        string language = ShopperLanguage.Indonesian, string? clientAddress = null, int? maxSharePercent = null)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(contact);
        if (lines.Count == 0)
        {
            throw new DomainException("The basket is empty.", "empty_basket");
        }

        if (payment == PaymentMethod.Kiosk && fulfilment != FulfilmentKind.Pickup)
        {
            throw new DomainException("Paying at the kiosk is only possible when picking up at the kiosk.", "kiosk_payment_needs_pickup");
        }

        var holdUntil = holdStockUntil ?? throw new ArgumentNullException(nameof(holdStockUntil));
        var items = lines.Sum(l => l.LineTotalRupiah);
        var order = new Order
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
            ClientAddress = clientAddress,
            BuyerWhatsApp = contact.WhatsApp,
        };
        order.Owe(new ReserveStock(order.Id, cooperativeId,
            order.Lines.GroupBy(l => l.VariantId).Select(g => new StockLine(g.Key, g.Sum(l => l.Quantity))).ToList(), holdUntil, maxSharePercent), order.Key);
        return order;
    }

    /// <summary>
    /// A walk-in sale at the kiosk: the buyer took the goods off the shelf and paid in cash or by QRIS, so the order is
    /// paid and handed over in one step (<c>[*] --> handedOver</c>). It owes what a paid and handed-over order owes
    /// (<see cref="OrderPaid"/>, <see cref="OrderLinesFulfilled"/> "counter"), Catalog the stock to take off the shelf
    /// (<see cref="TakeCounterStock"/>: the goods were in hand, so it is never refused), and Notifications the receipt
    /// (<see cref="CounterSaleRecorded"/>). Every money rule is checked here as well as at the fields of the request.
    /// </summary>
    public static Order SellAtCounter(CounterSaleTerms terms, IReadOnlyList<OrderLine> lines, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(terms);
        ArgumentNullException.ThrowIfNull(lines);
        if (lines.Count == 0)
        {
            throw new DomainException("A sale needs at least one item.", "empty_sale");
        }

        if (lines.Any(l => l.Quantity <= 0 || l.UnitPriceRupiah <= 0))
        {
            throw new DomainException("Each item of a sale has a quantity and a price above 0.", "invalid_line");
        }

        var total = lines.Sum(l => l.LineTotalRupiah);
        long change = 0;
        switch (terms.Channel)
        {
            case OrderAggregate.PaymentChannel.Cash:
                if (terms.TillSessionId is null)
                {
                    throw new DomainException("Cash goes into a till: open a till session first.", "till_session_required");
                }

                if (terms.TenderedRupiah is not { } tendered || tendered < total)
                {
                    throw new DomainException($"The cash handed over must cover the total of {total}.", "tendered_too_little");
                }

                change = tendered - total;
                break;
            case OrderAggregate.PaymentChannel.Qris when string.IsNullOrWhiteSpace(terms.Reference):
                throw new DomainException("A QRIS payment needs its reference from the payment notice.", "reference_required");
            case OrderAggregate.PaymentChannel.Qris:
                break;
            default:
                throw new DomainException("A sale at the counter is paid in cash or by QRIS.", "invalid_channel");
        }

        var order = new Order
        {
            Id = terms.SaleId,
            CooperativeId = terms.CooperativeId,
            Owner = $"counter:{terms.SoldBy}",
            PickupCode = NewPickupCode(),
            Contact = new Contact(string.Empty, terms.BuyerWhatsApp ?? string.Empty, null),
            Language = ShopperLanguage.Of(terms.Language),
            Fulfilment = FulfilmentKind.Counter,
            PaymentMethod = PaymentMethod.Kiosk,
            Lines = [.. lines],
            ItemsTotalRupiah = total,
            TotalRupiah = total,
            Status = OrderStatus.HandedOver,
            PlacedAt = terms.SoldAt,
            PaidAt = terms.SoldAt,
            PaymentChannel = terms.Channel,
            PaymentReference = string.IsNullOrWhiteSpace(terms.Reference) ? null : terms.Reference.Trim(),
            // The goods were in the clerk's hand: there is nothing for Catalog to confirm before they leave.
            StockConfirmedAt = now,
            ReceiptNumber = terms.ReceiptNumber,
            TillSessionId = terms.TillSessionId,
            CounterFlagged = terms.Late || lines.Any(l => l.PriceChanged),
            Counter = new CounterSale(terms.ReceiptKey, terms.Channel == OrderAggregate.PaymentChannel.Cash ? terms.TenderedRupiah : null, change,
                terms.SoldBy, terms.Late, terms.RequestHash, terms.BuyerWhatsApp, now, terms.ClerkName),
        };
        order.Owe(order.PaidEvent(), order.Key);
        order.Fulfil(terms.SoldAt, "counter");
        order.Owe(new TakeCounterStock(order.Id, order.CooperativeId,
            order.Lines.GroupBy(l => l.VariantId).Select(g => new StockLine(g.Key, g.Sum(l => l.Quantity))).ToList(), terms.SoldBy, terms.SoldAt), order.Key);
        order.Owe(new CounterSaleRecorded(order.Id, order.CooperativeId, terms.ReceiptNumber, terms.ReceiptUrl, total,
            terms.Channel == OrderAggregate.PaymentChannel.Cash ? Contracts.Orders.PaymentChannel.Cash : Contracts.Orders.PaymentChannel.Qris,
            terms.BuyerWhatsApp, order.Language, terms.SoldAt), order.Key);
        return order;
    }

    /// <summary>
    /// Goods of a walk-in sale came back over the counter: the refund (already planned on this order) goes out in cash,
    /// and Catalog is owed their return to the shelf, keyed by the refund. Only a walk-in sale's goods come back this way.
    /// </summary>
    public void ReturnAtCounter(Guid refundId, RefundPlan plan, string returnedBy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (Fulfilment != FulfilmentKind.Counter)
        {
            throw new ConflictException("Only a sale made at the counter is returned at the counter.", IllegalTransition);
        }

        var lines = plan.Lines
            .GroupBy(l => Lines.First(o => o.Id == l.OrderLineId).VariantId)
            .Select(g => new StockLine(g.Key, g.Sum(l => l.Quantity)))
            .ToList();
        Owe(new ReturnCounterStock(Id, refundId, CooperativeId, lines, returnedBy, now), Key);
    }

    /// <summary>The line's name in the shopper's language, where the maker gave one in it.</summary>
    public string NameFor(OrderLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return Language == ShopperLanguage.English && !string.IsNullOrWhiteSpace(line.NameEn) ? line.NameEn : line.Name;
    }

    /// <summary>Catalog holds the stock: the order stands, and its shopper is to be told. Returns whether this changed anything (a repeated message does not).</summary>
    public bool StockHeld(DateTimeOffset until, DateTimeOffset paymentDeadline, DateTimeOffset now)
    {
        if (Status != OrderStatus.Reserving)
        {
            return false;
        }

        ReservedUntil = until;
        PaymentDeadline = PaymentMethod == PaymentMethod.Card ? paymentDeadline : null;
        Status = PaymentMethod == PaymentMethod.Card ? OrderStatus.AwaitingPayment : OrderStatus.AwaitingKioskPayment;
        Owe(new OrderConfirmed(Id, CooperativeId, PickupCode, PaymentMethod == PaymentMethod.Kiosk, Fulfilment == FulfilmentKind.Shipping, PickupDate,
            PaymentDeadline ?? until, TotalRupiah, new ShopperContact(Contact.Name, Contact.WhatsApp, Contact.Email, Language), now, OwnerAccount), Key);
        return true;
    }

    /// <summary>Catalog could not hold every line: nothing is held, so nothing needs releasing.</summary>
    public bool StockRefused(IReadOnlyList<StockShortfall> shortages, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(shortages);
        if (Status != OrderStatus.Reserving)
        {
            return false;
        }

        Shortages = [.. shortages];
        Status = OrderStatus.StockRefused;
        ClosedAt = now;
        return true;
    }

    /// <summary>Stripe's page for this order: where the shopper pays, until <paramref name="deadline"/>.</summary>
    public void AttachCheckout(string sessionId, string url, DateTimeOffset deadline, string stripeAccountId)
    {
        if (Status != OrderStatus.AwaitingPayment || PaymentMethod != PaymentMethod.Card)
        {
            throw new ConflictException($"An order that is {Status} takes no payment page.", IllegalTransition);
        }

        CheckoutSessionId = sessionId;
        StripeAccountId = stripeAccountId;
        CheckoutUrl = url;
        PaymentDeadline = deadline;
    }

    /// <summary>
    /// The payment is verified: the order is paid, Catalog is told to take the stock off the shelf, and Settlement
    /// what was sold. Returns false for a second payment, which changes nothing.
    /// </summary>
    /// <param name="fees">What Stripe kept of a card payment (from its balance transaction), carried to Settlement; null when unknown.</param>
    public bool MarkPaid(PaymentChannel channel, string? reference, DateTimeOffset now, PaymentFees? fees = null)
    {
        if (IsPaid)
        {
            return false;
        }

        // Only a payment through Stripe can arrive after the order expired: Stripe's page was still open, or the shopper's
        // bank confirmed a QRIS payment late. The kiosk takes no money for an order whose stock went back on sale.
        var card = IsThroughStripe(channel);
        if (Status is not (OrderStatus.AwaitingPayment or OrderStatus.AwaitingKioskPayment or OrderStatus.ConfirmingPayment) && !(Status == OrderStatus.Expired && card))
        {
            throw new ConflictException($"An order that is {Status} cannot be paid.", IllegalTransition);
        }

        if ((PaymentMethod == PaymentMethod.Card) != card)
        {
            throw new ConflictException(
                PaymentMethod == PaymentMethod.Card ? "This order is paid by card, not at the kiosk." : "This order is paid at the kiosk, in cash or by QRIS.",
                IllegalTransition);
        }

        // A card payment can complete just after the deadline passed here: the money is real, so the order is paid
        // (Catalog then confirms the stock if it still can, and the order is refunded if not).
        Status = OrderStatus.Paid;
        PaymentChannel = channel;
        PaymentReference = reference;
        PaidAt = now;
        ClosedAt = null;
        PaymentFailure = null;
        PaymentFeesRecorded = fees is not null;
        Owe(new ConfirmStockReservation(Id), Key);
        Owe(PaidEvent(fees), Key);
        return true;
    }

    /// <summary>
    /// Money arrived for an order already cancelled (the shopper paid as it was being cancelled): it is recorded, so
    /// the books show it, and the caller refunds it in full. The order stays cancelled.
    /// </summary>
    public void RecordLatePayment(string reference, DateTimeOffset now, PaymentFees? fees = null, PaymentChannel channel = OrderAggregate.PaymentChannel.Card)
    {
        if (Status != OrderStatus.Cancelled || IsPaid)
        {
            throw new ConflictException($"Only an unpaid cancelled order takes a late payment; this one is {Status}.", IllegalTransition);
        }

        if (!IsThroughStripe(channel))
        {
            throw new ConflictException("Only a payment through Stripe arrives late.", IllegalTransition);
        }

        PaymentChannel = channel;
        PaymentReference = reference;
        PaidAt = now;
        PaymentFeesRecorded = fees is not null;
        Owe(PaidEvent(fees), Key);
    }

    public void StockConfirmed(DateTimeOffset now) => StockConfirmedAt ??= now;

    /// <summary>
    /// Makes the receipt of a paid order out to an institution (a school, an office buying gifts): only money that came
    /// in can be receipted. Asking again replaces the name, as a corrected kuitansi would.
    /// </summary>
    public void MakeKuitansiOutTo(KuitansiRecipient recipient)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        if (!IsPaid)
        {
            throw new ConflictException("A kuitansi is made out only for a paid order.", "order_not_paid");
        }

        Kuitansi = recipient;
    }


    /// <summary>
    /// The shopper chose QRIS or GoPay on Stripe's page: the session is complete but the money is not confirmed yet. The
    /// order waits, its stock still held, until Stripe says paid or failed (or the deadline passes). Returns whether
    /// this changed anything (a repeated event does not; an order no longer awaiting payment is left as it is).
    /// </summary>
    public bool PaymentPending()
    {
        if (Status != OrderStatus.AwaitingPayment)
        {
            return false;
        }

        Status = OrderStatus.ConfirmingPayment;
        return true;
    }

    /// <summary>
    /// Stripe says the online QRIS or GoPay payment failed (or it was not confirmed by the deadline): the Checkout Session
    /// is complete and takes no second try, so the order ends and its stock goes back on sale at once; the shopper is
    /// told why (<paramref name="failure"/>, one of <see cref="PaymentFailures"/>) and may order again. False if the
    /// order was no longer open.
    /// </summary>
    public bool FailPayment(string failure, DateTimeOffset now)
    {
        if (Status is not (OrderStatus.AwaitingPayment or OrderStatus.ConfirmingPayment) || !Expire(now, failure))
        {
            return false;
        }

        PaymentFailure = failure;
        return true;
    }

    /// <summary>Not paid in time: the order closes and Catalog puts its stock back on sale. False if it was no longer open.</summary>
    public bool Expire(DateTimeOffset now, string reason)
    {
        if (!Close(OrderStatus.Expired, now))
        {
            return false;
        }

        Owe(new ReleaseStockReservation(Id, reason), Key);
        return true;
    }

    /// <summary>Catalog let the reservation lapse itself (a kiosk order not collected on its day): nothing to release.</summary>
    public bool ReservationLapsed(DateTimeOffset now) =>
        PaymentMethod == PaymentMethod.Kiosk && Close(OrderStatus.Expired, now);

    /// <summary>
    /// The member marks her line prepared. Only a paid order, only her own line. When it is the last line of a pickup
    /// order to be prepared, the shopper is to be told she can come: owed on that step only, so once per order (a line
    /// marked again changes nothing, and two members racing meet at the row version).
    /// </summary>
    public void MarkLineReady(Guid lineId, Guid memberId, DateTimeOffset now)
    {
        var line = Lines.FirstOrDefault(l => l.Id == lineId && l.MemberId == memberId)
            ?? throw new NotFoundException("No such line of yours in this order.");
        if (Status != OrderStatus.Paid)
        {
            throw new ConflictException($"Lines of an order that is {Status} are not prepared.", IllegalTransition);
        }

        if (line.ReadyAt is not null)
        {
            return;
        }

        Replace(line, line with { ReadyAt = now });
        // A line refunded in full is not handed over, so it need not be prepared.
        if (Fulfilment == FulfilmentKind.Pickup && Lines.Where(l => l.Quantity > l.RefundedQuantity).All(l => l.ReadyAt is not null))
        {
            Owe(new OrderReadyForPickup(Id, CooperativeId, PickupDate, now), Key);
        }
    }

    /// <summary>The kiosk hands the whole basket over: every line is fulfilled now, and its earnings become payable.</summary>
    public void HandOver(DateTimeOffset now)
    {
        Require(OrderStatus.Paid, "handed over");
        RequireStockConfirmed();
        if (Fulfilment != FulfilmentKind.Pickup)
        {
            throw new ConflictException("This order is shipped, not picked up: mark it shipped, then delivered.", IllegalTransition);
        }

        Status = OrderStatus.HandedOver;
        Fulfil(now, "handed_over");
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
            throw new ConflictException("This order is picked up at the kiosk, not shipped.", IllegalTransition);
        }

        Status = OrderStatus.Shipped;
        Courier = courier.Trim();
        TrackingNumber = trackingNumber.Trim();
        ShippedAt = now;
        Owe(new OrderShipped(Id, CooperativeId, Courier, TrackingNumber, now), Key);
    }

    /// <summary>The courier delivered it: every line is fulfilled now, and its earnings become payable.</summary>
    public void Deliver(DateTimeOffset now)
    {
        Require(OrderStatus.Shipped, "delivered");
        Status = OrderStatus.Delivered;
        Fulfil(now, "delivered");
    }

    /// <summary>
    /// Cancels the order. The shopper may cancel only while it is unpaid; an admin, until it is handed over or
    /// shipped. Unpaid, its stock goes back on sale; paid, the caller refunds what is left of the payment.
    /// </summary>
    public void Cancel(string by, bool byAdmin, DateTimeOffset now)
    {
        // A payment being confirmed may still arrive: only the cooperative cancels it then (a payment that lands later is
        // recorded and refunded in full, as for any late payment), never the shopper, whose money may be on its way.
        var allowed = byAdmin
            ? Status is OrderStatus.Reserving or OrderStatus.AwaitingPayment or OrderStatus.AwaitingKioskPayment or OrderStatus.ConfirmingPayment or OrderStatus.Paid
            : Status is OrderStatus.Reserving or OrderStatus.AwaitingPayment or OrderStatus.AwaitingKioskPayment;
        if (!allowed)
        {
            throw new ConflictException(
                byAdmin ? $"An order that is {Status} cannot be cancelled." : $"An order that is {Status} can only be cancelled by the cooperative.",
                IllegalTransition);
        }

        var wasPaid = IsPaid;
        Status = OrderStatus.Cancelled;
        CancelledBy = by;
        ClosedAt = now;
        if (!wasPaid)
        {
            Owe(new ReleaseStockReservation(Id, "cancelled"), Key);
        }

        Owe(new OrderCancelled(Id, CooperativeId, by, wasPaid, now), Key);
    }

    /// <summary>The cooperative lets an unpaid order's held stock go: the order is cancelled, with the admin's reason.</summary>
    public void ReleaseHold(string reason, DateTimeOffset now)
    {
        var why = reason?.Trim();
        if (string.IsNullOrEmpty(why) || why.Length > 200)
        {
            throw new ValidationFailedException([new FieldError("reason", "reason_required", "Say in 1 to 200 characters why the hold is released.")]);
        }

        if (Status is not (OrderStatus.Reserving or OrderStatus.AwaitingKioskPayment))
        {
            throw new ConflictException($"An order that is {Status} holds no stock to release here.", IllegalTransition);
        }

        Cancel("admin-release", byAdmin: true, now);
        CancelReason = why;
    }

    /// <summary>
    /// Reserves a refund on this order: the lines' quantities and the shipping, never more than was paid and not yet
    /// refunded. Returns what each line gives back.
    /// </summary>
    public RefundPlan PlanRefund(IReadOnlyList<RefundLineRequest> requested, bool includeShipping)
    {
        ArgumentNullException.ThrowIfNull(requested);
        if (!IsPaid)
        {
            throw new ConflictException("Nothing was paid on this order, so nothing can be refunded.", "not_paid");
        }

        var refunded = new List<RefundedOrderLine>();
        foreach (var group in requested.GroupBy(r => r.LineId))
        {
            var quantity = group.Sum(r => (long)r.Quantity);
            var line = Lines.FirstOrDefault(l => l.Id == group.Key) ?? throw new DomainException($"Line {group.Key} is not in this order.", "invalid_line");
            if (quantity <= 0 || quantity > line.Quantity - line.RefundedQuantity)
            {
                throw new DomainException(
                    $"Line \"{line.Name}\" has {line.Quantity - line.RefundedQuantity} left to refund, not {quantity}.", "refund_exceeds_payment");
            }

            refunded.Add(new RefundedOrderLine(line.Id, line.MemberId, (int)quantity, quantity * line.UnitPriceRupiah));
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
        return new RefundPlan(refunded, shipping, total);
    }

    /// <summary>Everything paid and not yet refunded, for cancelling a paid order: every line left, and the shipping if not refunded.</summary>
    public RefundPlan PlanFullRefund() => PlanRefund(
        Lines.Where(l => l.Quantity > l.RefundedQuantity).Select(l => new RefundLineRequest(l.Id, l.Quantity - l.RefundedQuantity)).ToList(),
        includeShipping: ShippingRupiah > 0 && !ShippingRefunded);

    /// <summary>Stripe refused a refund: what it had reserved is available again.</summary>
    public void UndoRefund(RefundPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        foreach (var line in plan.Lines)
        {
            var current = Lines.First(l => l.Id == line.OrderLineId);
            Replace(current, current with { RefundedQuantity = current.RefundedQuantity - line.Quantity });
        }

        if (plan.ShippingRupiah > 0)
        {
            ShippingRefunded = false;
        }

        RefundedRupiah -= plan.TotalRupiah;
    }

    private bool Close(OrderStatus closed, DateTimeOffset now)
    {
        if (Status is not (OrderStatus.AwaitingPayment or OrderStatus.AwaitingKioskPayment or OrderStatus.ConfirmingPayment or OrderStatus.Reserving))
        {
            return false;
        }

        Status = closed;
        ClosedAt = now;
        return true;
    }

    private void Fulfil(DateTimeOffset now, string how)
    {
        Lines = Lines.Select(l => l with { FulfilledAt = now }).ToList();
        FulfilledAt = now;
        var reached = Lines.Where(l => l.Quantity > l.RefundedQuantity).ToList();

        // Its buyer may now review what reached her; a walk-in sale at the counter has no buyer to come back to.
        if (how != "counter" && reached.Count > 0 && (Owner.StartsWith("user:", StringComparison.Ordinal) || Owner.StartsWith("guest:", StringComparison.Ordinal)))
        {
            Owe(new OrderLinesReviewable(Id, CooperativeId, BuyerKeys.Of(Owner), Contact.Name,
                reached.Select(l => new ReviewableLine(l.Id, l.ProductId, l.MemberId, l.Name)).ToList(), now), Key);
        }

        Owe(new OrderLinesFulfilled(Id, CooperativeId,
            reached.Select(l => new FulfilledLine(l.Id, l.MemberId, l.Quantity - l.RefundedQuantity)).ToList(),
            how, now), Key);
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
            throw new ConflictException($"An order that is {Status} cannot be {step}.", IllegalTransition);
        }
    }

    private void Replace(OrderLine line, OrderLine updated) =>
        Lines = Lines.Select(l => l.Id == line.Id ? updated : l).ToList();

    /// <summary>
    /// Stripe's balance transaction for the payment is known (it may come after the payment was recorded without it):
    /// Settlement is told, once, and books the fees unless the sale already held them. False for an order not paid through
    /// Stripe, or whose fees Settlement already has.
    /// </summary>
    public bool PaymentFeesKnown(PaymentFees fees, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(fees);
        if (PaymentFeesRecorded || !IsPaid || PaymentChannel is not { } channel || !IsThroughStripe(channel))
        {
            return false;
        }

        PaymentFeesRecorded = true;
        Owe(new OrderPaymentFeesKnown(Id, CooperativeId, ContractChannel, fees.StripeFeeRupiah, fees.ApplicationFeeRupiah, now), Key);
        return true;
    }

    private Contracts.Orders.PaymentChannel ContractChannel => PaymentChannel switch
    {
        OrderAggregate.PaymentChannel.Cash => Contracts.Orders.PaymentChannel.Cash,
        OrderAggregate.PaymentChannel.Qris => Contracts.Orders.PaymentChannel.Qris,
        OrderAggregate.PaymentChannel.Ewallet => Contracts.Orders.PaymentChannel.Ewallet,
        _ => Contracts.Orders.PaymentChannel.Card,
    };

    private OrderPaid PaidEvent(PaymentFees? fees = null) => new(
        Id,
        CooperativeId,
        ContractChannel,
        PaymentReference,
        Lines.Select(l => new SoldLine(l.Id, l.MemberId, l.ProductId, l.VariantId, l.Category, l.Name, l.Quantity, l.UnitPriceRupiah, l.LineTotalRupiah, l.FeePercent)).ToList(),
        ShippingRupiah,
        TotalRupiah,
        PaidAt!.Value,
        fees?.StripeFeeRupiah,
        fees?.ApplicationFeeRupiah);

    /// <summary>A card's or an online QRIS/GoPay payment: both reach the cooperative through Stripe.</summary>
    private static bool IsThroughStripe(PaymentChannel channel) =>
        channel is OrderAggregate.PaymentChannel.Card or OrderAggregate.PaymentChannel.Ewallet;

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
