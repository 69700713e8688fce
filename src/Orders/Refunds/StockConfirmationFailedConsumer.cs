using MassTransit;
using Marketplace.Contracts.Catalog;
using Marketplace.Contracts.Orders;
using Marketplace.Orders.Checkout;
using Marketplace.Orders.Data;
using Marketplace.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Orders.Refunds;

/// <summary>
/// The shopper paid at the last moment, after her reservation had lapsed, and the stock is gone: the order cannot
/// be fulfilled, so it is cancelled and the payment refunded in full.
/// </summary>
public sealed class StockConfirmationFailedConsumer(OrdersDbContext db, RefundExecutor refunds, IOutbox outbox, TimeProvider clock)
    : IdempotentConsumer<StockConfirmationFailed, OrdersDbContext>(db)
{
    protected override async Task HandleAsync(StockConfirmationFailed message, ConsumeContext<StockConfirmationFailed> context, CancellationToken cancellationToken)
    {
        var order = await Db.Orders.FirstOrDefaultAsync(o => o.Id == message.OrderId, cancellationToken);
        if (order is not { Status: OrderStatus.Paid })
        {
            return;
        }

        // Only the database changes here; the refund reaches Stripe after this commits (CompleteRefund).
        var now = clock.GetUtcNow();
        order.Cancel("out-of-stock", byAdmin: true, now);
        await refunds.StartAsync(order, $"out-of-stock-{order.Id}", order.RemainingLines(), shipping: order.ShippingRupiah > 0 && !order.ShippingRefunded, cancellationToken);
        outbox.Publish(new OrderCancelled(order.Id, order.CooperativeId, "out-of-stock", true, now), orderingKey: order.Id.ToString());
    }
}
