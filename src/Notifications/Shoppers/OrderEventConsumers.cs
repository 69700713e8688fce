using MassTransit;
using Marketplace.Contracts.Orders;
using Marketplace.Notifications.Templates;
using Marketplace.ServiceDefaults.Formatting;
using Marketplace.ServiceDefaults.Messaging;

namespace Marketplace.Notifications.Shoppers;

// What became of an order, told to its shopper in her language: paid (with the link to her receipt), cancelled,
// money given back, delivered. Each once per event (the inbox and the unique key).

public sealed class OrderPaidConsumer(NotificationsDbContext db, OrderNews news) : IdempotentConsumer<OrderPaid, NotificationsDbContext>(db)
{
    protected override Task HandleAsync(OrderPaid message, ConsumeContext<OrderPaid> context, CancellationToken cancellationToken) =>
        news.TellAsync(context.MessageId!.Value, message.OrderId, message.PaidAt, MessageTemplates.ShopperOrderPaid,
            (order, _) => [order.Name, order.PickupCode, Rupiah.Display(message.TotalRupiah), news.OrderPage(order.OrderId)], cancellationToken);
}

public sealed class OrderCancelledConsumer(NotificationsDbContext db, OrderNews news) : IdempotentConsumer<OrderCancelled, NotificationsDbContext>(db)
{
    protected override Task HandleAsync(OrderCancelled message, ConsumeContext<OrderCancelled> context, CancellationToken cancellationToken) =>
        news.TellAsync(context.MessageId!.Value, message.OrderId, message.CancelledAt,
            message.Refunded ? MessageTemplates.ShopperOrderCancelledRefunded : MessageTemplates.ShopperOrderCancelled,
            (order, _) => [order.Name, order.PickupCode], cancellationToken);
}

public sealed class OrderRefundedConsumer(NotificationsDbContext db, OrderNews news) : IdempotentConsumer<OrderRefunded, NotificationsDbContext>(db)
{
    protected override Task HandleAsync(OrderRefunded message, ConsumeContext<OrderRefunded> context, CancellationToken cancellationToken) =>
        news.TellAsync(context.MessageId!.Value, message.OrderId, message.RefundedAt,
            message.Method == RefundMethod.Card ? MessageTemplates.ShopperRefundToCard : MessageTemplates.ShopperRefundInCash,
            (order, _) => [order.Name, Rupiah.Display(message.TotalRupiah), order.PickupCode], cancellationToken);
}

/// <summary>A parcel arrived; an order handed over at the kiosk needs no message, she is standing there.</summary>
public sealed class OrderLinesFulfilledConsumer(NotificationsDbContext db, OrderNews news) : IdempotentConsumer<OrderLinesFulfilled, NotificationsDbContext>(db)
{
    protected override Task HandleAsync(OrderLinesFulfilled message, ConsumeContext<OrderLinesFulfilled> context, CancellationToken cancellationToken) =>
        message.How == "delivered"
            ? news.TellAsync(context.MessageId!.Value, message.OrderId, message.At, MessageTemplates.ShopperOrderDelivered,
                (order, _) => [order.Name, order.PickupCode], cancellationToken)
            : Task.CompletedTask;
}
