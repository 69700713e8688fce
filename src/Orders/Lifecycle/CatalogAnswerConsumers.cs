using MassTransit;
using Marketplace.Contracts.Catalog;
using Marketplace.Orders.Payments;
using Marketplace.ServiceDefaults.Messaging;

namespace Marketplace.Orders.Lifecycle;

// Catalog's answers about an order's stock: each is recorded in the inbox with the change it makes, once per message.

public sealed class StockReservedConsumer(OrdersDbContext db, OrderLifecycle lifecycle) : IdempotentConsumer<StockReserved, OrdersDbContext>(db)
{
    private OpenedCheckout? _checkout;

    // Stripe is called before the transaction opens, so no lock or connection waits on it.
    protected override async Task BeforeTransactionAsync(StockReserved message, ConsumeContext<StockReserved> context, CancellationToken cancellationToken) =>
        _checkout = await lifecycle.OpenCheckoutAsync(message, cancellationToken);

    protected override Task HandleAsync(StockReserved message, ConsumeContext<StockReserved> context, CancellationToken cancellationToken) =>
        lifecycle.StockHeldAsync(message, _checkout, cancellationToken);
}

public sealed class StockReservationRefusedConsumer(OrdersDbContext db, OrderLifecycle lifecycle) : IdempotentConsumer<StockReservationRefused, OrdersDbContext>(db)
{
    protected override Task HandleAsync(StockReservationRefused message, ConsumeContext<StockReservationRefused> context, CancellationToken cancellationToken) =>
        lifecycle.StockRefusedAsync(message, cancellationToken);
}

/// <summary>Catalog took the sold stock off the shelf: the order may now leave the kiosk.</summary>
public sealed class StockReservationConfirmedConsumer(OrdersDbContext db, OrderLifecycle lifecycle) : IdempotentConsumer<StockReservationConfirmed, OrdersDbContext>(db)
{
    protected override Task HandleAsync(StockReservationConfirmed message, ConsumeContext<StockReservationConfirmed> context, CancellationToken cancellationToken) =>
        lifecycle.StockConfirmedAsync(message.OrderId, cancellationToken);
}

/// <summary>Catalog let an unpaid reservation lapse (a kiosk order not collected on its day): the order expires too.</summary>
public sealed class StockReservationExpiredConsumer(OrdersDbContext db, OrderLifecycle lifecycle) : IdempotentConsumer<StockReservationExpired, OrdersDbContext>(db)
{
    protected override Task HandleAsync(StockReservationExpired message, ConsumeContext<StockReservationExpired> context, CancellationToken cancellationToken) =>
        lifecycle.ReservationLapsedAsync(message.OrderId, cancellationToken);
}

/// <summary>The stock of a late-paid order was sold meanwhile: it is cancelled and refunded in full (at Stripe, after this commits).</summary>
public sealed class StockConfirmationFailedConsumer(OrdersDbContext db, OrderLifecycle lifecycle) : IdempotentConsumer<StockConfirmationFailed, OrdersDbContext>(db)
{
    protected override Task HandleAsync(StockConfirmationFailed message, ConsumeContext<StockConfirmationFailed> context, CancellationToken cancellationToken) =>
        lifecycle.StockConfirmationFailedAsync(message.OrderId, cancellationToken);
}
