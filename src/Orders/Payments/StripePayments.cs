using Marketplace.Orders.OrderAggregate;
using Microsoft.Extensions.Options;
using Stripe;
using Stripe.Checkout;

namespace Marketplace.Orders.Payments;

/// <summary>Bound from <c>Stripe</c>. The same code talks to Stripe and to the local emulator: only these differ.</summary>
public sealed class StripeOptions
{
    public const string SectionName = "Stripe";

    public string SecretKey { get; set; } = string.Empty;

    /// <summary>Stripe's API address; the emulator's locally.</summary>
    public string ApiBase { get; set; } = "https://api.stripe.com";

    /// <summary>The webhook endpoint's signing secret (<c>whsec_...</c>).</summary>
    public string WebhookSecret { get; set; } = string.Empty;

    /// <summary>Where the shopper returns after paying or giving up, e.g. <c>https://binor.example</c>.</summary>
    public Uri PublicBaseUrl { get; set; } = new("http://localhost:8080");

    /// <summary>
    /// How long after placing the order the shopper may pay. The Checkout Session must end 30 minutes to 24 hours
    /// after Stripe receives it, and its parameters must not change between retries (idempotency), so it ends at
    /// placing time plus this: the margin over 30 minutes absorbs a late message.
    /// </summary>
    public TimeSpan CheckoutLifetime { get; set; } = TimeSpan.FromMinutes(45);

    /// <summary>The smallest card payment: below Stripe's minimum charge (about USD 0.50) it refuses the payment.</summary>
    public long MinimumCardTotalRupiah { get; set; } = 10_000;

    /// <summary>How often orders awaiting card payment are checked with Stripe, in case their webhook was lost.</summary>
    public TimeSpan PaymentSweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>An order placed less than this ago is left to its webhook: the shopper is most likely still on Stripe's page.</summary>
    public TimeSpan PaymentSweepGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The platform's application fee on each card payment, in percent of its total (0 by default: none is taken). Stripe
    /// moves it from the cooperative's account to the platform's with the charge; the cooperative books it as its cost.
    /// </summary>
    public decimal ApplicationFeePercent { get; set; }

    /// <summary>
    /// What Stripe's page offers, as Stripe names the types (<c>card</c>, <c>qris</c>, <c>gopay</c>: Stripe documents QRIS
    /// and GoPay for IDR payments to Indonesian accounts). Empty or unset: <see cref="DefaultPaymentMethodTypes"/>. A
    /// deployment whose Stripe account lacks a method names only the others (<c>Stripe__PaymentMethodTypes__0=card</c>).
    /// </summary>
    public string[]? PaymentMethodTypes { get; set; }

    /// <summary>
    /// The least total each method is offered for, by Stripe's type name, whole rupiah (Stripe's minimums differ per
    /// method; cards are held to <see cref="MinimumCardTotalRupiah"/> at checkout). A method below its minimum is left off the page.
    /// </summary>
    public Dictionary<string, long> PaymentMethodMinimumRupiah { get; set; } = [];

    public static IReadOnlyList<string> DefaultPaymentMethodTypes { get; } = ["card", "qris", "gopay"];

    /// <summary>The methods Stripe's page offers for a total: the setting's (or the default), in its order, less those under their minimum.</summary>
    public IReadOnlyList<string> PaymentMethodsFor(long totalRupiah)
    {
        var offered = ConfiguredPaymentMethods()
            .Where(t => !PaymentMethodMinimumRupiah.TryGetValue(t, out var minimum) || totalRupiah >= minimum).ToList();
        // The card is what every account can take: never a page with nothing on it.
        return offered.Count > 0 ? offered : ["card"];
    }

    /// <summary>The setting's types (or the default), trimmed, lower case, each once, in the setting's order.</summary>
    public IReadOnlyList<string> ConfiguredPaymentMethods()
    {
        var configured = PaymentMethodTypes is { Length: > 0 } types ? types : DefaultPaymentMethodTypes;
        return configured.Select(t => t.Trim().ToLowerInvariant()).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).ToList();
    }
}

/// <summary>Where an online QRIS or GoPay payment stands once its Checkout Session completed unpaid.</summary>
public enum AsyncPayment
{
    /// <summary>No such payment: the session is open, expired, or paid outright (a card).</summary>
    None,

    /// <summary>Waiting for the shopper's bank (the PaymentIntent is <c>processing</c> or <c>requires_action</c>).</summary>
    Pending,

    /// <summary>It failed or was cancelled (<c>requires_payment_method</c> or <c>canceled</c>); this session takes no second try.</summary>
    Failed,
}

/// <summary>
/// What Stripe says of an order's Checkout Session: its status, the PaymentIntent that paid it in full (if one did), what
/// Stripe kept of it, how it was paid, and where an asynchronous (QRIS, GoPay) payment stands.
/// </summary>
public sealed record CheckoutState(
    string SessionStatus, string? VerifiedPaymentIntentId, PaymentFees? Fees = null, PaymentChannel Channel = PaymentChannel.Card, AsyncPayment Async = AsyncPayment.None)
{
    public bool Paid => VerifiedPaymentIntentId is not null;

    public bool Closed => SessionStatus == "expired";
}

/// <summary>What Orders asks of Stripe: a Checkout Session for an order, the truth about a payment, a refund.</summary>
public sealed class StripePayments(IStripeClient client, IOptions<StripeOptions> options, OrdersDbContext db)
{
    /// <summary>IDR is a two-decimal currency to Stripe: Rp 25.000 is sent as 2500000.</summary>
    public static long ToStripeAmount(long rupiah) => checked(rupiah * 100);

    /// <summary>
    /// An amount Stripe reports in hundredths of a rupiah, as whole rupiah (the books keep no fractions): rounded half away
    /// from zero. Stripe's fees in IDR are whole rupiah in practice, so nothing is rounded.
    /// </summary>
    public static long FromStripeAmount(long hundredths) => (long)Math.Round(hundredths / 100m, MidpointRounding.AwayFromZero);

    /// <summary>The platform's application fee on an order, in whole rupiah (rounded down: the cooperative keeps the fraction).</summary>
    public long ApplicationFeeRupiah(Order order)
    {
        ArgumentNullException.ThrowIfNull(order);
        return (long)Math.Floor(order.TotalRupiah * options.Value.ApplicationFeePercent / 100m);
    }

    public TimeSpan CheckoutLifetime => options.Value.CheckoutLifetime;

    /// <summary>The deployment's Stripe settings (what the page may offer, and for how much).</summary>
    public StripeOptions Settings => options.Value;

    /// <summary>Whether Stripe would still accept a session ending at the order's deadline (at least 30 minutes from now).</summary>
    public bool CanStillOpenCheckout(Order order, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(order);
        return order.PlacedAt + options.Value.CheckoutLifetime > now + TimeSpan.FromMinutes(31);
    }

    /// <summary>
    /// Opens the order's Stripe page, offering <paramref name="methods"/>: the setting's that the cooperative's account
    /// has, as the caller decided from what Stripe last said of the account.
    /// </summary>
    public async Task<Session> CreateCheckoutAsync(Order order, string stripeAccount, IReadOnlyList<string> methods, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        EnsureNoTransaction();
        var settings = options.Value;
        var orderPage = new Uri(settings.PublicBaseUrl, $"/orders/{order.Id}").ToString();

        // Stripe's page speaks the shopper's language: the names she saw in her basket, its own texts in her locale.
        var english = order.Language == ShopperLanguage.English;
        var lineItems = order.Lines.Select(l => new SessionLineItemOptions
        {
            Quantity = l.Quantity,
            PriceData = new SessionLineItemPriceDataOptions
            {
                Currency = "idr",
                UnitAmount = ToStripeAmount(l.UnitPriceRupiah),
                // A product named only in Indonesian says so to an English reader, as the shop's pages do.
                ProductData = new SessionLineItemPriceDataProductDataOptions
                {
                    Name = $"{order.NameFor(l)} ({l.VariantLabel})" + (english && string.IsNullOrWhiteSpace(l.NameEn) ? " (in Indonesian)" : string.Empty),
                },
            },
        }).ToList();
        if (order.ShippingRupiah > 0)
        {
            lineItems.Add(new SessionLineItemOptions
            {
                Quantity = 1,
                PriceData = new SessionLineItemPriceDataOptions
                {
                    Currency = "idr",
                    UnitAmount = ToStripeAmount(order.ShippingRupiah),
                    ProductData = new SessionLineItemPriceDataProductDataOptions { Name = english ? "Shipping" : "Ongkos kirim" },
                },
            });
        }

        var metadata = new Dictionary<string, string> { ["order_id"] = order.Id.ToString() };
        var create = new SessionCreateOptions
        {
            Mode = "payment",
            LineItems = lineItems,
            ClientReferenceId = order.Id.ToString(),
            CustomerEmail = order.Contact.Email,
            Metadata = metadata,
            PaymentIntentData = new SessionPaymentIntentDataOptions
            {
                Metadata = metadata,
                // The platform's cut, taken by Stripe with the charge (none by default).
                ApplicationFeeAmount = ApplicationFeeRupiah(order) is > 0 and var fee ? ToStripeAmount(fee) : null,
            },
            SuccessUrl = orderPage + "?paid=1",
            CancelUrl = orderPage,
            ExpiresAt = order.PlacedAt.UtcDateTime + settings.CheckoutLifetime,
            Locale = english ? "en" : "id",
        };

        // Card, QRIS, GoPay, as the setting names them and the cooperative's account has them. A retry sends the same
        // unless Stripe changed the account in between; Stripe then refuses the reused key and the message is retried.
        // Stripe's API takes payment_method_types on a Checkout Session; Stripe.net 53 has no typed property for it.
        ArgumentNullException.ThrowIfNull(methods);
        for (var i = 0; i < methods.Count; i++)
        {
            create.AddExtraParam($"payment_method_types[{i}]", methods[i]);
        }

        // The order id is the idempotency key: a retried message gets the same session, never a second one.
        return await new SessionService(client).CreateAsync(create, Options(stripeAccount, $"checkout-{order.Id}"), cancellationToken);
    }

    /// <summary>
    /// Asks Stripe where the order's Checkout Session stands, first closing it if <paramref name="close"/> (so it can no
    /// longer take money). A payment counts only when Stripe itself says so: the session complete and paid, its
    /// PaymentIntent succeeded, for exactly the order's total in rupiah. A webhook alone proves nothing.
    /// </summary>
    public async Task<CheckoutState> CheckoutStateAsync(Order order, bool close, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        EnsureNoTransaction();
        if (order is not { CheckoutSessionId: { } sessionId, StripeAccountId: { } account })
        {
            throw new InvalidOperationException($"Order {order.Id} has no Checkout Session.");
        }

        var sessions = new SessionService(client);
        if (close)
        {
            try
            {
                await sessions.ExpireAsync(sessionId, null, Options(account, $"expire-{sessionId}"), cancellationToken);
            }
            catch (StripeException)
            {
                // Already complete (paid at the last second) or already expired: what Stripe says next decides.
            }
        }

        var session = await sessions.GetAsync(sessionId, null, Options(account), cancellationToken);
        if (session.Status != "complete" || session.PaymentIntentId is null)
        {
            return new CheckoutState(session.Status, null);
        }

        var intents = new PaymentIntentService(client);
        var intent = await intents.GetAsync(session.PaymentIntentId, null, Options(account), cancellationToken);
        if (session.PaymentStatus != "paid")
        {
            // Complete but unpaid: QRIS or GoPay chosen, the bank's answer still to come (or it came as a failure).
            if (close && intent.Status is "requires_action" or "requires_payment_method")
            {
                // Past the deadline: a QRIS code nobody paid must not take money for an order whose stock is released.
                try
                {
                    intent = await intents.CancelAsync(intent.Id, null, Options(account, $"cancel-{intent.Id}"), cancellationToken);
                }
                catch (StripeException)
                {
                    // Paid or processing at that very moment: what Stripe says next decides.
                    intent = await intents.GetAsync(intent.Id, null, Options(account), cancellationToken);
                }
            }

            return intent.Status switch
            {
                "succeeded" => await VerifiedAsync(order, session.Status, intent, account, cancellationToken),
                "requires_payment_method" or "canceled" => new CheckoutState(session.Status, null, Async: AsyncPayment.Failed),
                _ => new CheckoutState(session.Status, null, Async: AsyncPayment.Pending),
            };
        }

        return await VerifiedAsync(order, session.Status, intent, account, cancellationToken);
    }

    /// <summary>The PaymentIntent counts only when it succeeded for exactly the order's total, in rupiah.</summary>
    private async Task<CheckoutState> VerifiedAsync(Order order, string sessionStatus, PaymentIntent intent, string account, CancellationToken cancellationToken)
    {
        var expected = ToStripeAmount(order.TotalRupiah);
        var paidInFull = intent.Status == "succeeded" && intent.AmountReceived == expected && intent.Amount == expected
            && string.Equals(intent.Currency, "idr", StringComparison.OrdinalIgnoreCase);
        if (!paidInFull)
        {
            return new CheckoutState(sessionStatus, null);
        }

        var (fees, channel) = await ChargeAsync(intent, account, cancellationToken);
        return new CheckoutState(sessionStatus, intent.Id, fees, channel);
    }

    /// <summary>
    /// How the payment was made (its charge's <c>payment_method_details.type</c>: a card, or QRIS/GoPay, booked apart) and
    /// what Stripe kept of it, from the charge's balance transaction (<c>fee_details</c>: Stripe's fee and the application
    /// fee). Fees are null when Stripe has not made the balance transaction yet: the payment still counts.
    /// </summary>
    private async Task<(PaymentFees? Fees, PaymentChannel Channel)> ChargeAsync(PaymentIntent intent, string account, CancellationToken cancellationToken)
    {
        if (intent.LatestChargeId is not { } chargeId)
        {
            return (null, PaymentChannel.Card);
        }

        var charge = await new ChargeService(client).GetAsync(chargeId, null, Options(account), cancellationToken);
        var channel = charge.PaymentMethodDetails?.Type is "qris" or "gopay" ? PaymentChannel.Ewallet : PaymentChannel.Card;
        if (charge.BalanceTransactionId is not { } transactionId)
        {
            return (null, channel);
        }

        var transaction = await new BalanceTransactionService(client).GetAsync(transactionId, null, Options(account), cancellationToken);
        return (FeesOf(transaction), channel);
    }

    /// <summary>
    /// A charge's PaymentIntent and what Stripe kept of it, asked of Stripe (never taken from a webhook's copy); null
    /// fees while Stripe has no balance transaction for it yet.
    /// </summary>
    public async Task<(string? PaymentIntentId, PaymentFees? Fees)> ChargeFeesAsync(string chargeId, string account, CancellationToken cancellationToken)
    {
        EnsureNoTransaction();
        var charge = await new ChargeService(client).GetAsync(chargeId, null, Options(account), cancellationToken);
        if (charge.BalanceTransactionId is not { } transactionId)
        {
            return (charge.PaymentIntentId, null);
        }

        var transaction = await new BalanceTransactionService(client).GetAsync(transactionId, null, Options(account), cancellationToken);
        return (charge.PaymentIntentId, FeesOf(transaction));
    }

    /// <summary>Stripe's fee and the application fee of a payment's balance transaction, in whole rupiah.</summary>
    public static PaymentFees FeesOf(BalanceTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var application = transaction.FeeDetails?.Where(f => f.Type == "application_fee").Sum(f => f.Amount) ?? 0;
        return new PaymentFees(FromStripeAmount(transaction.Fee - application), FromStripeAmount(application));
    }

    /// <summary>
    /// Refunds a card refund at Stripe: its id and the caller's key make the idempotency key, so any retry reaches the
    /// same Stripe refund. Returns Stripe's refund id and the fee on its balance transaction (null if Stripe has none yet), or throws <see cref="RefundRefusedException"/> for a definite
    /// refusal; a network failure or a 5xx throws as it is, leaving the refund pending for the next attempt.
    /// </summary>
    public async Task<(string Id, long? FeeRupiah)> RefundAsync(Order order, RefundAggregate.Refund refund, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(refund);
        EnsureNoTransaction();
        try
        {
            var created = await new RefundService(client).CreateAsync(
                new RefundCreateOptions
                {
                    PaymentIntent = order.PaymentReference,
                    Amount = ToStripeAmount(refund.TotalRupiah),
                    Metadata = new Dictionary<string, string> { ["order_id"] = order.Id.ToString(), ["request"] = refund.RequestKey },
                },
                new RequestOptions { StripeAccount = order.StripeAccountId, IdempotencyKey = $"refund-{order.Id}-{refund.RequestKey}" },
                cancellationToken);
            if (created.BalanceTransactionId is not { } transactionId)
            {
                return (created.Id, null);
            }

            var transaction = await new BalanceTransactionService(client).GetAsync(transactionId, null, Options(order.StripeAccountId!), cancellationToken);
            return (created.Id, FromStripeAmount(transaction.Fee));
        }
        catch (StripeException ex) when (ex.StripeError?.Type is "invalid_request_error" or "card_error")
        {
            throw new RefundRefusedException(ex.StripeError?.Message ?? ex.Message, ex);
        }
    }

    /// <summary>
    /// A transaction held open across a call to Stripe holds its row locks and its connection for as long as Stripe
    /// takes (seconds, when it is slow): every caller asks Stripe first and saves after, and this keeps it so.
    /// </summary>
    private void EnsureNoTransaction()
    {
        if (db.Database.CurrentTransaction is not null)
        {
            throw new InvalidOperationException("Stripe is never called inside a database transaction: ask Stripe first, then save.");
        }
    }

    private static RequestOptions Options(string stripeAccount, string? idempotencyKey = null) =>
        new() { StripeAccount = stripeAccount, IdempotencyKey = idempotencyKey };
}
