using System.Globalization;
using MassTransit;
using Marketplace.Contracts.Catalog;
using Marketplace.Contracts.Orders;
using Marketplace.Notifications.Digests;
using Marketplace.Notifications.People;
using Marketplace.Notifications.Templates;
using Marketplace.ServiceDefaults.Formatting;
using Marketplace.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Notifications.Admins;

// What every admin of a cooperative is told, each in her language, on her channel. Each event once (the inbox, then
// the notifications' unique key); a cooperative whose admins are not known yet is waited for a while (PeopleNews).

/// <summary>
/// A new order for the cooperative, beside the shopper's own message about it (its own queue and inbox entry; the two
/// messages differ in recipient and template, so both stand under the unique key).
/// </summary>
public sealed class AdminNewOrderConsumer(NotificationsDbContext db, PeopleNews news) : IdempotentConsumer<OrderConfirmed, NotificationsDbContext>(db)
{
    protected override Task HandleAsync(OrderConfirmed message, ConsumeContext<OrderConfirmed> context, CancellationToken cancellationToken) =>
        news.TellAdminsAsync(context.MessageId!.Value, message.CooperativeId, message.ConfirmedAt, MessageTemplates.AdminNewOrder,
            (admin, culture) => [PeopleNews.NameOf(admin), message.PickupCode, Rupiah.Display(message.TotalRupiah), How(message, admin.Language, culture), news.Link("/admin/pesanan")],
            cancellationToken);

    /// <summary>Kiosk pickup (on which day) or a courier, and how it is paid.</summary>
    private static string How(OrderConfirmed order, string language, CultureInfo culture)
    {
        var english = language == "en";
        var delivery = order.Shipping
            ? english ? "to ship by courier" : "dikirim lewat kurir"
            : order.PickupDate is { } day
                ? english ? $"pickup at the kiosk on {day.ToString("dddd, d MMMM yyyy", culture)}" : $"diambil di kios pada {day.ToString("dddd, d MMMM yyyy", culture)}"
                : english ? "pickup at the kiosk" : "diambil di kios";
        var payment = order.PayAtKiosk
            ? english ? "paid at the kiosk" : "dibayar di kios"
            // Stripe's page takes a card, QRIS or GoPay: which one is known only once paid.
            : english ? "paid online (card, QRIS or GoPay)" : "dibayar online (kartu, QRIS atau GoPay)";
        return $"{delivery}, {payment}";
    }
}

/// <summary>A payout batch needs a second admin: every admin but the one who prepared it is asked.</summary>
public sealed class PayoutAwaitingApprovalConsumer(NotificationsDbContext db, PeopleNews news)
    : IdempotentConsumer<PayoutBatchAwaitingApproval, NotificationsDbContext>(db)
{
    protected override async Task HandleAsync(PayoutBatchAwaitingApproval message, ConsumeContext<PayoutBatchAwaitingApproval> context, CancellationToken cancellationToken)
    {
        var preparedBy = await Db.People.AsNoTracking().Where(p => p.UserId == message.PreparedBy).Select(p => p.DisplayName).FirstOrDefaultAsync(cancellationToken);
        await news.TellAdminsAsync(context.MessageId!.Value, message.CooperativeId, message.PreparedAt, MessageTemplates.AdminPayoutAwaitingApproval,
            (admin, culture) =>
            [
                PeopleNews.NameOf(admin),
                MessageText.OneLine(preparedBy, 60, admin.Language == "en" ? "another admin" : "pengurus lain"),
                message.MemberCount.ToString(culture),
                Rupiah.Display(message.TotalRupiah),
                news.Link($"/admin/pembayaran/{message.BatchId}"),
            ],
            cancellationToken,
            except: message.PreparedBy);
    }
}

/// <summary>A product submitted for review joins the cooperative's digest of products waiting, told to every admin when due.</summary>
public sealed class ProductsToReviewConsumer(NotificationsDbContext db, OpenDigests digests) : IdempotentConsumer<ProductSubmittedForReview, NotificationsDbContext>(db)
{
    protected override Task HandleAsync(ProductSubmittedForReview message, ConsumeContext<ProductSubmittedForReview> context, CancellationToken cancellationToken) =>
        digests.AddAsync(DigestKind.ProductsToReview, message.CooperativeId, message.CooperativeId, [new DigestItem(message.ProductId, message.Name, 1)], cancellationToken);
}
