using MassTransit;
using Marketplace.Contracts.Catalog;
using Marketplace.Contracts.Orders;
using Marketplace.Orders.Data;
using Marketplace.Orders.Payments;
using Marketplace.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Orders.Checkout;

/// <summary>
/// Catalog holds the stock: a card order gets its Stripe Checkout Session now (the order id is the idempotency key, so
/// a redelivered message finds the same session), a kiosk order simply waits for the shopper.
/// </summary>
public sealed class StockReservedConsumer(OrdersDbContext db, StripePayments stripe, TimeProvider clock)
    : IdempotentConsumer<StockReserved, OrdersDbContext>(db)
{
    private (Stripe.Checkout.Session Session, string Account)? _checkout;

    // Stripe is called before the transaction opens, so no lock or connection waits on it.
    protected override async Task BeforeTransactionAsync(StockReserved message, ConsumeContext<StockReserved> context, CancellationToken cancellationToken)
    {
        _checkout = null;
        var order = await Db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == message.OrderId, cancellationToken);
        // Stripe's page can no longer be opened for this order (the message came very late): it expires unpaid.
        if (order is not { Status: OrderStatus.Reserving, PaymentMethod: PaymentMethod.Card } || !stripe.CanStillOpenCheckout(order, clock.GetUtcNow()))
        {
            return;
        }

        var merchant = await Db.Merchants.AsNoTracking().FirstAsync(m => m.CooperativeId == order.CooperativeId, cancellationToken);
        _checkout = (await stripe.CreateCheckoutAsync(order, merchant.StripeAccountId!, cancellationToken), merchant.StripeAccountId!);
    }

    protected override async Task HandleAsync(StockReserved message, ConsumeContext<StockReserved> context, CancellationToken cancellationToken)
    {
        var order = await Db.Orders.FirstOrDefaultAsync(o => o.Id == message.OrderId, cancellationToken);
        if (order is null || !order.StockHeld(message.ExpiresAt, order.PlacedAt + stripe.CheckoutLifetime))
        {
            // Cancelled in the meantime: a session made above is never shown to anyone and lapses unpaid.
            return;
        }

        if (_checkout is var (session, account))
        {
            order.AttachCheckout(session.Id, session.Url, new DateTimeOffset(session.ExpiresAt, TimeSpan.Zero), account);
        }
    }
}

public sealed class StockReservationRefusedConsumer(OrdersDbContext db, TimeProvider clock)
    : IdempotentConsumer<StockReservationRefused, OrdersDbContext>(db)
{
    protected override async Task HandleAsync(StockReservationRefused message, ConsumeContext<StockReservationRefused> context, CancellationToken cancellationToken)
    {
        var order = await Db.Orders.FirstOrDefaultAsync(o => o.Id == message.OrderId, cancellationToken);
        order?.StockRefused(message.Shortages, clock.GetUtcNow());
    }
}

/// <summary>Catalog took the sold stock off the shelf: the order may now leave the kiosk.</summary>
public sealed class StockReservationConfirmedConsumer(OrdersDbContext db, TimeProvider clock)
    : IdempotentConsumer<StockReservationConfirmed, OrdersDbContext>(db)
{
    protected override async Task HandleAsync(StockReservationConfirmed message, ConsumeContext<StockReservationConfirmed> context, CancellationToken cancellationToken)
    {
        var order = await Db.Orders.FirstOrDefaultAsync(o => o.Id == message.OrderId, cancellationToken);
        order?.StockConfirmed(clock.GetUtcNow());
    }
}

/// <summary>Catalog let an unpaid reservation lapse (a kiosk order not collected on its day): the order expires too.</summary>
public sealed class StockReservationExpiredConsumer(OrdersDbContext db, TimeProvider clock)
    : IdempotentConsumer<StockReservationExpired, OrdersDbContext>(db)
{
    protected override async Task HandleAsync(StockReservationExpired message, ConsumeContext<StockReservationExpired> context, CancellationToken cancellationToken)
    {
        var order = await Db.Orders.FirstOrDefaultAsync(o => o.Id == message.OrderId, cancellationToken);
        if (order is { PaymentMethod: PaymentMethod.Kiosk })
        {
            order.Expire(clock.GetUtcNow());
        }
    }
}

/// <summary>Marks an order paid and tells Catalog (take the stock off the shelf) and settlement (what was sold), in one transaction.</summary>
public static class OrderPayment
{
    public static bool Record(Order order, string reference, IOutbox outbox, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(outbox);
        if (!order.MarkPaid(reference, now))
        {
            return false;
        }

        outbox.Publish(new ConfirmStockReservation(order.Id), orderingKey: order.Id.ToString());
        outbox.Publish(order.PaidEvent(), orderingKey: order.Id.ToString());
        return true;
    }
}
