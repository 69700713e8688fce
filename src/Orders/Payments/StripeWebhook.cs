using Marketplace.Orders.Checkout;
using Marketplace.Orders.Data;
using Marketplace.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Options;
using Stripe;
using Stripe.Checkout;

namespace Marketplace.Orders.Payments;

/// <summary>A Stripe event already handled: a repeat of it changes nothing.</summary>
public sealed class ProcessedStripeEvent
{
    public string EventId { get; init; } = string.Empty;

    public string Type { get; init; } = string.Empty;

    public DateTimeOffset ReceivedAt { get; init; }
}

internal sealed class ProcessedStripeEventConfiguration : IEntityTypeConfiguration<ProcessedStripeEvent>
{
    public void Configure(EntityTypeBuilder<ProcessedStripeEvent> builder)
    {
        builder.ToTable("processed_stripe_events");
        builder.HasKey(e => e.EventId);
        builder.Property(e => e.EventId).HasMaxLength(100);
        builder.Property(e => e.Type).HasMaxLength(100);
    }
}

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
    /// Any event that cannot be verified is a 400 and touches nothing. A verified one is recorded by id in the same
    /// transaction as what it changes, so a repeat (or a racing duplicate) changes nothing twice. Events are handled
    /// by asking Stripe for the current state, so their order of arrival does not matter.
    /// </summary>
    private static async Task<IResult> ReceiveAsync(
        HttpRequest request,
        OrdersDbContext db,
        StripePayments stripe,
        Refunds.RefundExecutor refunds,
        IOutbox outbox,
        IOptions<StripeOptions> options,
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

        var now = clock.GetUtcNow();
        var order = await FindOrderAsync(db, stripeEvent, cancellationToken);
        Refunds.Refund? lateRefund = null;
        if (order?.StripeAccountId is { } account)
        {
            switch (stripeEvent.Type)
            {
                case EventTypes.CheckoutSessionCompleted or EventTypes.CheckoutSessionAsyncPaymentSucceeded or EventTypes.PaymentIntentSucceeded:
                    if (!order.IsPaid)
                    {
                        if (await stripe.VerifiedPaymentAsync(order, account, cancellationToken) is not { } paymentIntent)
                        {
                            LogNotVerified(loggers.CreateLogger(typeof(StripeWebhook)), stripeEvent.Id, order.Id);
                        }
                        else if (order.Status == OrderStatus.Cancelled)
                        {
                            // Paid while being cancelled: the money is recorded and goes straight back.
                            order.RecordLatePayment(paymentIntent, now);
                            outbox.Publish(order.PaidEvent(), orderingKey: order.Id.ToString());
                            lateRefund = await refunds.StartAsync(order, $"late-payment-{order.Id}", order.RemainingLines(), order.ShippingRupiah > 0, cancellationToken);
                        }
                        else
                        {
                            OrderPayment.Record(order, paymentIntent, outbox, now);
                        }
                    }

                    break;
                case EventTypes.CheckoutSessionExpired:
                    if (order.Expire(now))
                    {
                        outbox.Publish(new Contracts.Orders.ReleaseStockReservation(order.Id, "checkout expired"), orderingKey: order.Id.ToString());
                    }

                    break;
            }
        }

        db.ProcessedStripeEvents.Add(new ProcessedStripeEvent { EventId = stripeEvent.Id, Type = stripeEvent.Type, ReceivedAt = now });
        await db.SaveChangesAsync(cancellationToken);
        if (lateRefund is not null)
        {
            await refunds.CompleteAsync(lateRefund.Id, cancellationToken);
        }

        return Results.Ok();
    }

    private static async Task<Order?> FindOrderAsync(OrdersDbContext db, Event stripeEvent, CancellationToken cancellationToken)
    {
        var (sessionId, orderId) = stripeEvent.Data.Object switch
        {
            Session session => (session.Id, session.ClientReferenceId),
            PaymentIntent intent => (null, intent.Metadata?.GetValueOrDefault("order_id")),
            _ => (null, null),
        };
        if (sessionId is not null && await db.Orders.FirstOrDefaultAsync(o => o.CheckoutSessionId == sessionId, cancellationToken) is { } bySession)
        {
            return bySession;
        }

        return Guid.TryParse(orderId, out var id) ? await db.Orders.FirstOrDefaultAsync(o => o.Id == id, cancellationToken) : null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stripe event {EventId} claims order {OrderId} was paid, but Stripe does not confirm the full amount; the order stays unpaid")]
    private static partial void LogNotVerified(ILogger logger, string eventId, Guid orderId);
}
