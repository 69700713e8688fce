using System.Globalization;
using MassTransit;
using Marketplace.Contracts.Orders;
using Marketplace.Notifications.Deliveries;
using Marketplace.Notifications.Templates;
using Marketplace.ServiceDefaults.Formatting;
using Marketplace.ServiceDefaults.Messaging;

namespace Marketplace.Notifications.Shoppers;

/// <summary>
/// The order stands: its shopper is told (on WhatsApp, or by email if she chose it), in her language, her pickup code and how and by when to pay.
/// Once per event (the inbox), and once per (event, recipient, template) even past the inbox (a unique key).
/// </summary>
public sealed class OrderConfirmedConsumer(NotificationsDbContext db, TimeProvider clock) : IdempotentConsumer<OrderConfirmed, NotificationsDbContext>(db)
{
    protected override async Task HandleAsync(OrderConfirmed message, ConsumeContext<OrderConfirmed> context, CancellationToken cancellationToken)
    {
        var cooperative = await Db.Cooperatives.FindAsync([message.CooperativeId], cancellationToken);
        var zone = cooperative?.TimeZone ?? LocalTime.DefaultZone;
        var reach = await ShopperReach.OfAsync(Db, message.ShopperUserId, message.Shopper.Language, message.Shopper.WhatsApp, message.Shopper.Email, cancellationToken);
        var language = reach.Language;
        var culture = CultureInfo.GetCultureInfo(language == "en" ? "en-GB" : "id-ID");
        string When(DateTimeOffset at)
        {
            var local = LocalTime.Of(at, zone);
            return $"{local.At.ToString("d MMM yyyy HH:mm", culture)} {local.Label}";
        }

        var (template, parameters) = message.PayAtKiosk
            ? (MessageTemplates.Named(MessageTemplates.ShopperOrderAtKiosk), new List<string>
            {
                message.Shopper.Name,
                message.PickupCode,
                cooperative?.Name is { Length: > 0 } name ? name : language == "en" ? "the cooperative" : "koperasi",
                message.PickupDate?.ToString("dddd, d MMMM yyyy", culture) ?? string.Empty,
                message.PayBy is { } payBy ? When(payBy) : string.Empty,
                Rupiah.Display(message.TotalRupiah),
            })
            : (MessageTemplates.Named(MessageTemplates.ShopperOrderByCard), new List<string>
            {
                message.Shopper.Name,
                message.PickupCode,
                Rupiah.Display(message.TotalRupiah),
                message.PayBy is { } deadline ? When(deadline) : string.Empty,
            });
        if (await Db.ShopperOrders.FindAsync([message.OrderId], cancellationToken) is null)
        {
            Db.ShopperOrders.Add(ShopperOrder.From(message));
        }

        Db.Notifications.Add(Notification.Create(
            context.MessageId!.Value, $"order:{message.OrderId}", message.CooperativeId, template.Name, language, reach.Channel,
            reach.Address, parameters, clock.GetUtcNow()));
    }
}
