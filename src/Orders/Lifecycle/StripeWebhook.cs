using Marketplace.Orders.Merchants;
using Marketplace.Orders.Payments;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Stripe;
using Stripe.Checkout;

namespace Marketplace.Orders.Lifecycle;

public static partial class StripeWebhook
{
    public const string Path = "/api/orders/payments/stripe-webhook";

    public static IEndpointRouteBuilder MapStripeWebhook(this IEndpointRouteBuilder app)
    {
        app.MapPost(Path, ReceiveAsync)
            .WithTags("Payments")
            .WithName("StripeWebhook")
            .WithSummary("Stripe's events. Verified by signature; a payment counts only once Stripe confirms its amount.")
            .DisableAntiforgery();
        return app;
    }

    /// <summary>
    /// Any event that cannot be verified is a 400 and touches nothing. A verified one about an order's payment makes
    /// the order follow what Stripe says now (<see cref="OrderLifecycle.ReconcileWithStripeAsync"/>), so repeats and
    /// the order of arrival do not matter; its id is then recorded, so a repeat is answered at once.
    /// </summary>
    private static async Task<IResult> ReceiveAsync(
        HttpRequest request,
        OrdersDbContext db,
        OrderLifecycle lifecycle,
        StripeOnboarding onboarding,
        Disputes.StripeDisputes disputes,
        StripePayouts.StripePayoutsReceiver payouts,
        IOptions<StripeOptions> options,
        StripePayments stripe,
        TimeProvider clock,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        string json;
        using (var reader = new StreamReader(request.Body))
        {
            json = await reader.ReadToEndAsync(cancellationToken);
        }

        Event stripeEvent;
        try
        {
            stripeEvent = EventUtility.ConstructEvent(json, request.Headers["Stripe-Signature"], options.Value.WebhookSecret);
        }
#pragma warning disable CA1031 // Stripe.net throws more than StripeException on malformed input (NullReferenceException without api_version): all of it is a bad request.
        catch (Exception)
#pragma warning restore CA1031
        {
            return Results.Problem("The event's signature or payload is not valid.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid Stripe event");
        }

        if (await db.ProcessedStripeEvents.AnyAsync(e => e.EventId == stripeEvent.Id, cancellationToken))
        {
            return Results.Ok();
        }

        // A connected account changed (onboarding, a new requirement): record what Stripe says of it now.
        if (stripeEvent.Type == EventTypes.AccountUpdated && (stripeEvent.Account ?? (stripeEvent.Data.Object as Account)?.Id) is { } accountId
            && await onboarding.RefreshAsync(accountId, cancellationToken) is null)
        {
            LogUnknownAccount(loggers.CreateLogger(typeof(StripeWebhook)), stripeEvent.Id, accountId);
        }

        if (stripeEvent.Type is EventTypes.CheckoutSessionCompleted or EventTypes.CheckoutSessionAsyncPaymentSucceeded
            or EventTypes.CheckoutSessionAsyncPaymentFailed or EventTypes.PaymentIntentSucceeded or EventTypes.CheckoutSessionExpired
            && await FindOrderAsync(db, stripeEvent, cancellationToken) is { } orderId)
        {
            var state = await lifecycle.ReconcileWithStripeAsync(orderId, cancellationToken);
            // A QRIS or GoPay session completes unpaid: that is a payment being confirmed, not a false claim.
            if (state is { Paid: false, Async: AsyncPayment.None }
                && stripeEvent.Type is not (EventTypes.CheckoutSessionExpired or EventTypes.CheckoutSessionAsyncPaymentFailed))
            {
                LogNotVerified(loggers.CreateLogger(typeof(StripeWebhook)), stripeEvent.Id, orderId);
            }
        }

        // A dispute or a payout is asked of Stripe by its id on the cooperative's account (the event's `account`), as payments are.
        if (stripeEvent.Type is EventTypes.ChargeDisputeCreated or EventTypes.ChargeDisputeUpdated or EventTypes.ChargeDisputeClosed
            && stripeEvent.Data.Object is Dispute { Id: { } disputeId } && stripeEvent.Account is { } disputeAccount)
        {
            await disputes.ReconcileAsync(disputeId, disputeAccount, cancellationToken);
        }

        // Stripe made a charge's balance transaction after the payment was recorded without it: its fees reach the books.
        if (stripeEvent.Type == EventTypes.ChargeUpdated && stripeEvent.Data.Object is Charge { Id: { } chargeId } charge && stripeEvent.Account is { } chargeAccount)
        {
            await LateFeesAsync(db, stripe, clock, chargeId, charge.PaymentIntentId, chargeAccount, cancellationToken);
        }

        if (stripeEvent.Type == EventTypes.PayoutPaid && stripeEvent.Data.Object is Payout { Id: { } payoutId } && stripeEvent.Account is { } payoutAccount)
        {
            await payouts.ReceiveAsync(payoutId, payoutAccount, cancellationToken);
        }

        await db.Database.ExecuteSqlAsync(
            $"INSERT INTO orders.processed_stripe_events (event_id, type, received_at) VALUES ({stripeEvent.Id}, {stripeEvent.Type}, {clock.GetUtcNow()}) ON CONFLICT DO NOTHING",
            cancellationToken);
        return Results.Ok();
    }

    /// <summary>
    /// The charge's fees, asked of Stripe, are told to Settlement for the order it paid; Settlement books them once, and
    /// not at all if the sale already held them. Nothing while Stripe still has no balance transaction, and Stripe is not
    /// asked at all for an order whose fees are recorded (a charge is updated for other reasons too: a refund, a dispute).
    /// </summary>
    private static async Task LateFeesAsync(
        OrdersDbContext db, StripePayments stripe, TimeProvider clock, string chargeId, string? intentOfEvent, string account, CancellationToken cancellationToken)
    {
        if (intentOfEvent is not null
            && await db.Orders.AnyAsync(o => o.StripeAccountId == account && o.PaymentReference == intentOfEvent && o.PaymentFeesRecorded, cancellationToken))
        {
            return;
        }

        var (intentId, fees) = await stripe.ChargeFeesAsync(chargeId, account, cancellationToken);
        if (fees is null || intentId is null)
        {
            return;
        }

        var order = await db.Orders.FirstOrDefaultAsync(o => o.StripeAccountId == account && o.PaymentReference == intentId, cancellationToken);
        if (order is not null && order.PaymentFeesKnown(fees, clock.GetUtcNow()))
        {
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    private static async Task<Guid?> FindOrderAsync(OrdersDbContext db, Event stripeEvent, CancellationToken cancellationToken)
    {
        var (sessionId, orderId) = stripeEvent.Data.Object switch
        {
            Session session => (session.Id, session.ClientReferenceId),
            PaymentIntent intent => (null, intent.Metadata?.GetValueOrDefault("order_id")),
            _ => (null, null),
        };
        if (sessionId is not null
            && await db.Orders.AsNoTracking().Where(o => o.CheckoutSessionId == sessionId).Select(o => (Guid?)o.Id).FirstOrDefaultAsync(cancellationToken) is { } bySession)
        {
            return bySession;
        }

        return Guid.TryParse(orderId, out var id) ? id : null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stripe event {EventId} is about account {AccountId}, which no cooperative has")]
    private static partial void LogUnknownAccount(ILogger logger, string eventId, string accountId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stripe event {EventId} claims order {OrderId} was paid, but Stripe does not confirm the full amount; the order stays unpaid")]
    private static partial void LogNotVerified(ILogger logger, string eventId, Guid orderId);
}
