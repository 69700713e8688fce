using System.Globalization;
using Marketplace.Notifications.Deliveries;
using Marketplace.Notifications.Templates;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Marketplace.Notifications.Shoppers;

/// <summary>
/// Tells an order's shopper what became of it. An event about an order whose confirmation has not been handled yet
/// (the two travel on different queues) waits for it a while, by failing this delivery so it comes again; an event
/// about an order Notifications never heard of (placed before it ran) is not told.
/// </summary>
public sealed partial class OrderNews(NotificationsDbContext db, TimeProvider clock, IOptions<NotificationsOptions> options, ILogger<OrderNews> logger)
{
    private static readonly TimeSpan WaitForConfirmation = TimeSpan.FromMinutes(5);

    /// <summary>Adds the message to <see cref="NotificationsDbContext"/>; the consumer's transaction saves it.</summary>
    public async Task TellAsync(Guid sourceMessageId, Guid orderId, DateTimeOffset happenedAt, string template, Func<ShopperOrder, CultureInfo, List<string>> parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var order = await db.ShopperOrders.AsNoTracking().FirstOrDefaultAsync(o => o.OrderId == orderId, cancellationToken);
        if (order is null)
        {
            // A walk-in sale has no confirmation to wait for: its buyer stood at the counter and got her receipt there
            // (and its link on WhatsApp, counter_receipt).
            if (await Counter.CounterSales.IsCounterSaleAsync(db, orderId, cancellationToken))
            {
                return;
            }

            if (clock.GetUtcNow() - happenedAt < WaitForConfirmation)
            {
                throw new InvalidOperationException($"Order {orderId}'s confirmation has not been handled yet; this event waits for it.");
            }

            LogUnknownOrder(logger, orderId, template);
            return;
        }

        var reach = await ShopperReach.OfAsync(db, order.UserId, order.Language, order.WhatsApp, order.Email, cancellationToken);
        var culture = CultureInfo.GetCultureInfo(reach.Language == "en" ? "en-GB" : "id-ID");
        db.Notifications.Add(Notification.Create(
            sourceMessageId, $"order:{order.OrderId}", order.CooperativeId, MessageTemplates.Named(template).Name, reach.Language, reach.Channel,
            reach.Address, parameters(order, culture), clock.GetUtcNow()));
    }

    /// <summary>The order's page, where the shopper sees her receipt and what became of each line.</summary>
    public string OrderPage(Guid orderId) => new Uri(options.Value.PublicBaseUrl, $"/orders/{orderId}").ToString();

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} was never confirmed here; its shopper is not told ({Template})")]
    private static partial void LogUnknownOrder(ILogger logger, Guid orderId, string template);
}
