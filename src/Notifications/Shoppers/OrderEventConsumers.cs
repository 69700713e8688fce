using MassTransit;
using Marketplace.Contracts.Orders;
using Marketplace.Notifications.Cooperatives;
using Marketplace.Notifications.Templates;
using Marketplace.ServiceDefaults.Formatting;
using Marketplace.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Notifications.Shoppers;

// What became of an order, told to its shopper in her language: paid (with the link to her receipt), ready at the
// kiosk, shipped, cancelled, money given back, delivered. Each once per event (the inbox and the unique key).

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

/// <summary>
/// What she bought reached her (handed over or delivered): she is invited to review it, from her order's page, where
/// the same proof that shows her the order (her account, or the device she ordered on) lets her write.
/// </summary>
public sealed class OrderLinesReviewableConsumer(NotificationsDbContext db, OrderNews news) : IdempotentConsumer<OrderLinesReviewable, NotificationsDbContext>(db)
{
    protected override Task HandleAsync(OrderLinesReviewable message, ConsumeContext<OrderLinesReviewable> context, CancellationToken cancellationToken) =>
        news.TellAsync(context.MessageId!.Value, message.OrderId, message.At, MessageTemplates.ShopperReviewInvitation,
            (order, _) => [order.Name, order.PickupCode, news.OrderPage(order.OrderId)], cancellationToken);
}

/// <summary>
/// Every line is ready at the kiosk: she is told to come, with her code and, where the cooperative has said them,
/// where the kiosk is and when it is open. Where it has not, the message sends her to her order's page, which offers
/// to ask the cooperative on WhatsApp.
/// </summary>
public sealed class OrderReadyForPickupConsumer(NotificationsDbContext db, OrderNews news) : IdempotentConsumer<OrderReadyForPickup, NotificationsDbContext>(db)
{
    protected override async Task HandleAsync(OrderReadyForPickup message, ConsumeContext<OrderReadyForPickup> context, CancellationToken cancellationToken)
    {
        var cooperative = await Db.Cooperatives.AsNoTracking().FirstOrDefaultAsync(c => c.CooperativeId == message.CooperativeId, cancellationToken);
        await news.TellAsync(context.MessageId!.Value, message.OrderId, message.ReadyAt, MessageTemplates.ShopperOrderReadyForPickup,
            (order, culture) =>
            [
                order.Name,
                order.PickupCode,
                KioskWords.Name(cooperative, culture),
                KioskWords.Location(cooperative, culture),
                KioskWords.Hours(cooperative, message.ReadyAt, culture),
                news.OrderPage(order.OrderId),
            ], cancellationToken);
    }
}

/// <summary>The parcel left with a courier: she is told which, its tracking number, and where her order's page is.</summary>
public sealed class OrderShippedConsumer(NotificationsDbContext db, OrderNews news) : IdempotentConsumer<OrderShipped, NotificationsDbContext>(db)
{
    protected override Task HandleAsync(OrderShipped message, ConsumeContext<OrderShipped> context, CancellationToken cancellationToken) =>
        news.TellAsync(context.MessageId!.Value, message.OrderId, message.ShippedAt, MessageTemplates.ShopperOrderShipped,
            (order, _) => [order.Name, order.PickupCode, message.Courier, message.TrackingNumber, news.OrderPage(order.OrderId)], cancellationToken);
}
