using MassTransit;
using Marketplace.Contracts.Catalog;
using Marketplace.Contracts.Orders;
using Marketplace.Notifications.Counter;
using Marketplace.Notifications.Digests;
using Marketplace.Notifications.People;
using Marketplace.Notifications.Templates;
using Marketplace.ServiceDefaults.Formatting;
using Marketplace.ServiceDefaults.Messaging;

namespace Marketplace.Notifications.Members;

// What a member is told, in her language, on her channel. Each event once (the inbox, then the notifications' unique
// key); a member not known yet is waited for a while (PeopleNews).

/// <summary>
/// A paid order's lines go into each of their members' digest of lines to prepare: she gets one message for the next
/// few minutes' orders, not one per order. The member is looked up when the digest is sent, not now.
/// </summary>
public sealed class MemberLinesConsumer(NotificationsDbContext db, OpenDigests digests) : IdempotentConsumer<OrderPaid, NotificationsDbContext>(db)
{
    protected override async Task HandleAsync(OrderPaid message, ConsumeContext<OrderPaid> context, CancellationToken cancellationToken)
    {
        // A walk-in sale's goods were handed over at the counter: nothing to prepare. Under the sale's lock, so that a
        // CounterSaleRecorded handled at this moment either is seen here or sees these lines and takes them out again.
        await CounterSales.LockAsync(Db, message.OrderId, cancellationToken);
        if (await CounterSales.IsCounterSaleAsync(Db, message.OrderId, cancellationToken))
        {
            return;
        }

        // In the same order every time, so two orders of the same members lock their digests in the same order.
        foreach (var member in message.Lines.GroupBy(l => l.MemberId).OrderBy(g => g.Key))
        {
            await digests.AddAsync(
                DigestKind.MemberLines, member.Key, message.CooperativeId, [.. member.Select(l => new DigestItem(message.OrderId, l.Name, l.Quantity))], cancellationToken);
        }
    }
}

public sealed class ProductApprovedConsumer(NotificationsDbContext db, PeopleNews news) : IdempotentConsumer<ProductApproved, NotificationsDbContext>(db)
{
    protected override Task HandleAsync(ProductApproved message, ConsumeContext<ProductApproved> context, CancellationToken cancellationToken) =>
        news.TellMemberAsync(context.MessageId!.Value, message.MemberId, message.CooperativeId, message.ApprovedAt, MessageTemplates.MemberProductApproved,
            (member, _) => [PeopleNews.NameOf(member), MessageText.OneLine(message.Name, 100), news.Link($"/anggota/produk/{message.ProductId}")], cancellationToken);
}

public sealed class ProductRejectedConsumer(NotificationsDbContext db, PeopleNews news) : IdempotentConsumer<ProductRejected, NotificationsDbContext>(db)
{
    protected override Task HandleAsync(ProductRejected message, ConsumeContext<ProductRejected> context, CancellationToken cancellationToken) =>
        news.TellMemberAsync(context.MessageId!.Value, message.MemberId, message.CooperativeId, message.RejectedAt, MessageTemplates.MemberProductRejected,
            (member, _) =>
            [
                PeopleNews.NameOf(member), MessageText.OneLine(message.Name, 100), MessageText.OneLine(message.Reason, 500),
                news.Link($"/anggota/produk/{message.ProductId}"),
            ],
            cancellationToken);
}

public sealed class PayoutPaidConsumer(NotificationsDbContext db, PeopleNews news) : IdempotentConsumer<PayoutPaid, NotificationsDbContext>(db)
{
    protected override Task HandleAsync(PayoutPaid message, ConsumeContext<PayoutPaid> context, CancellationToken cancellationToken) =>
        news.TellMemberAsync(context.MessageId!.Value, message.MemberId, message.CooperativeId, message.PaidAt, MessageTemplates.MemberPayoutPaid,
            (member, _) => [PeopleNews.NameOf(member), Rupiah.Display(message.AmountRupiah), news.Link(StatementPath(message.BatchId, message.MemberId))], cancellationToken);

    /// <summary>
    /// Her statement of this payout (the PDF of what it settles), at Settlement's route (its <c>Statements.Url</c>; the
    /// tests hold the two together), the one her money page links too: opened signed in, as that page is.
    /// </summary>
    public static string StatementPath(Guid batchId, Guid memberId) => $"/api/settlement/payout-batches/{batchId}/members/{memberId}/statement.pdf";
}

/// <summary>A P-IRT or halal certificate runs out in 90 or 30 days, or today: the member renews it and updates her product.</summary>
public sealed class PermitExpiringConsumer(NotificationsDbContext db, PeopleNews news, TimeProvider clock)
    : IdempotentConsumer<PermitExpiring, NotificationsDbContext>(db)
{
    protected override Task HandleAsync(PermitExpiring message, ConsumeContext<PermitExpiring> context, CancellationToken cancellationToken)
    {
        // The event carries no time of its own, and a redelivery's send time is the redelivery's: a member unknown when
        // it was first sent is waited for through one redelivery (30 s by default, far longer than the Gateway's news
        // takes), then the notice is dropped with a log line like any other.
        var redelivered = (context.Headers.Get<int>(MessagingModelBuilderExtensions.RedeliveryCountHeader) ?? 0) > 0;
        var sentAt = redelivered ? DateTimeOffset.MinValue
            : context.SentTime is { } sent ? new DateTimeOffset(DateTime.SpecifyKind(sent, DateTimeKind.Utc)) : clock.GetUtcNow();
        var today = message.DaysLeft <= 0;
        return news.TellMemberAsync(context.MessageId!.Value, message.MemberId, message.CooperativeId, sentAt,
            today ? MessageTemplates.MemberPermitExpiresToday : MessageTemplates.MemberPermitExpiring,
            (member, culture) =>
            {
                var english = member.Language == "en";
                var permit = message.Permit == "halal" ? english ? "halal certificate" : "sertifikat halal" : "P-IRT";
                List<string> parameters =
                [
                    PeopleNews.NameOf(member), permit, MessageText.OneLine(message.Number, 60), MessageText.OneLine(message.ProductName, 100),
                    message.ValidUntil.ToString("d MMMM yyyy", culture),
                ];
                if (!today)
                {
                    parameters.Add(message.DaysLeft.ToString(culture));
                }

                parameters.Add(news.Link($"/anggota/produk/{message.ProductId}/ubah"));
                return parameters;
            },
            cancellationToken);
    }
}

/// <summary>A size of her product is running low: she brings more to the kiosk before it runs out.</summary>
public sealed class StockRunningLowConsumer(NotificationsDbContext db, PeopleNews news) : IdempotentConsumer<StockRunningLow, NotificationsDbContext>(db)
{
    protected override Task HandleAsync(StockRunningLow message, ConsumeContext<StockRunningLow> context, CancellationToken cancellationToken) =>
        news.TellMemberAsync(context.MessageId!.Value, message.MemberId, message.CooperativeId, message.At, MessageTemplates.MemberStockLow,
            (member, _) =>
            [
                PeopleNews.NameOf(member), MessageText.OneLine($"{message.ProductName} ({message.VariantLabel})", 140),
                message.OnHand.ToString(System.Globalization.CultureInfo.InvariantCulture), news.Link($"/anggota/produk/{message.ProductId}"),
            ],
            cancellationToken);
}
