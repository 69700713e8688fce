using MassTransit;
using Marketplace.Contracts.Orders;
using Marketplace.Notifications.Cooperatives;
using Marketplace.Notifications.Deliveries;
using Marketplace.Notifications.Templates;
using Marketplace.ServiceDefaults.Formatting;
using Marketplace.ServiceDefaults.Messaging;

namespace Marketplace.Notifications.Shoppers;

/// <summary>
/// The order stands: its shopper is told (on WhatsApp, or by email if she chose it), in her language, her pickup code and how and by when to pay.
/// Once per event (the inbox), and once per (event, recipient, template) even past the inbox (a unique key).
/// </summary>
public sealed class OrderConfirmedConsumer(NotificationsDbContext db, TimeProvider clock, OrderNews news) : IdempotentConsumer<OrderConfirmed, NotificationsDbContext>(db)
{
    protected override async Task HandleAsync(OrderConfirmed message, ConsumeContext<OrderConfirmed> context, CancellationToken cancellationToken)
    {
        var cooperative = await Db.Cooperatives.FindAsync([message.CooperativeId], cancellationToken);
        var zone = cooperative?.TimeZone ?? LocalTime.DefaultZone;
        var reach = await ShopperReach.OfAsync(Db, message.ShopperUserId, message.Shopper.Language, message.Shopper.WhatsApp, message.Shopper.Email, cancellationToken);
        var language = reach.Language;
        var english = language == "en";
        var culture = MessageText.Culture(language);
        string When(DateTimeOffset at)
        {
            var local = LocalTime.Of(at, zone);
            return $"{local.At.ToString("d MMM yyyy HH:mm", culture)} {local.Label}";
        }

        // Every parameter has words even when the order lacks the fact: WhatsApp refuses an empty one for good.
        var (template, parameters) = message.PayAtKiosk
            ? (MessageTemplates.ShopperOrderAtKiosk, new List<string>
            {
                MessageText.OneLine(message.Shopper.Name),
                message.PickupCode,
                KioskWords.Name(cooperative, culture),
                message.PickupDate?.ToString("dddd, d MMMM yyyy", culture) ?? (english ? "the day you come" : "hari Anda datang"),
                message.PayBy is { } payBy ? When(payBy) : english ? "the kiosk's closing time" : "jam tutup kios",
                Rupiah.Display(message.TotalRupiah),
                KioskWords.Location(cooperative, culture),
                KioskWords.Hours(cooperative, message.ConfirmedAt, culture),
                news.OrderPage(message.OrderId),
            })
            // Paid online, by whichever means she picks on the payment page (card, QRIS, GoPay...): the words name none.
            : (message.Shipping ? MessageTemplates.ShopperOrderAwaitingPaymentShipped : MessageTemplates.ShopperOrderAwaitingPayment, new List<string>
            {
                MessageText.OneLine(message.Shopper.Name),
                message.PickupCode,
                Rupiah.Display(message.TotalRupiah),
                message.PayBy is { } deadline ? When(deadline) : english ? "the time shown on your order page" : "batas waktu di halaman pesanan",
                news.OrderPage(message.OrderId),
            });
        if (await Db.ShopperOrders.FindAsync([message.OrderId], cancellationToken) is null)
        {
            Db.ShopperOrders.Add(ShopperOrder.From(message));
        }

        Db.Notifications.Add(Notification.Create(
            context.MessageId!.Value, $"order:{message.OrderId}", message.CooperativeId, MessageTemplates.Named(template).Name, language, reach.Channel,
            reach.Address, parameters, clock.GetUtcNow()));
    }
}
