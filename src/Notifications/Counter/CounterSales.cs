using MassTransit;
using Marketplace.Contracts.Orders;
using Marketplace.Notifications.Deliveries;
using Marketplace.Notifications.Digests;
using Marketplace.Notifications.Templates;
using Marketplace.ServiceDefaults.Formatting;
using Marketplace.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Notifications.Counter;

/// <summary>
/// A walk-in sale at the kiosk, as <c>CounterSaleRecorded</c> named it. Its key is the order id, so the receipt goes
/// once per sale however often the sale is announced; and it tells the order's other news (<c>OrderPaid</c>,
/// <c>OrderRefunded</c>) apart from an online order's: the buyer stood at the counter, and the goods were handed over.
/// </summary>
public sealed class CounterSale
{
    private CounterSale()
    {
    }

    public Guid OrderId { get; private set; }

    public Guid CooperativeId { get; private set; }

    public string ReceiptNumber { get; private set; } = string.Empty;

    public DateTimeOffset SoldAt { get; private set; }

    public DateTimeOffset RecordedAt { get; private set; }
}

/// <summary>
/// A walk-in sale was recorded: its buyer gets the receipt's link on WhatsApp when she gave her number (once per sale),
/// and the sale's lines leave the members' "lines to prepare" digests (an <c>OrderPaid</c> that arrived first put them
/// there; they were handed over at the counter already).
/// </summary>
public sealed partial class CounterSaleRecordedConsumer(NotificationsDbContext db, TimeProvider clock, ILogger<CounterSaleRecordedConsumer> logger)
    : IdempotentConsumer<CounterSaleRecorded, NotificationsDbContext>(db)
{
    protected override async Task HandleAsync(CounterSaleRecorded message, ConsumeContext<CounterSaleRecorded> context, CancellationToken cancellationToken)
    {
        await CounterSales.LockAsync(Db, message.OrderId, cancellationToken);
        var now = clock.GetUtcNow();
        var receipt = MessageText.OneLine(message.ReceiptNumber, 40);
        var recorded = await Db.Database.ExecuteSqlAsync($"""
            INSERT INTO notifications.counter_sales (order_id, cooperative_id, receipt_number, sold_at, recorded_at)
            VALUES ({message.OrderId}, {message.CooperativeId}, {receipt}, {message.SoldAt}, {now})
            ON CONFLICT (order_id) DO NOTHING
            """, cancellationToken);
        if (recorded == 0)
        {
            // The same sale again (a device that sent it twice, a replayed announcement): told once already.
            return;
        }

        var digests = await Db.Digests
            .FromSql($"SELECT * FROM notifications.digests WHERE kind = {nameof(DigestKind.MemberLines)} AND cooperative_id = {message.CooperativeId} AND status = 'Open' ORDER BY subject_id FOR UPDATE")
            .ToListAsync(cancellationToken);
        foreach (var digest in digests.Where(d => d.Items.Any(i => i.Reference == message.OrderId)))
        {
            digest.Withdraw(message.OrderId, now);
        }

        if (WhatsAppNumber.TryNormalize(message.BuyerWhatsApp) is not { } whatsApp)
        {
            if (!string.IsNullOrWhiteSpace(message.BuyerWhatsApp))
            {
                LogUnusableNumber(logger, message.OrderId);
            }

            return;
        }

        var language = message.Language == "en" ? "en" : "id";
        var cooperative = await Db.Cooperatives.AsNoTracking().FirstOrDefaultAsync(c => c.CooperativeId == message.CooperativeId, cancellationToken);
        var name = cooperative?.Name is { Length: > 0 } known ? known : language == "en" ? "the cooperative's kiosk" : "kios koperasi";
        Db.Notifications.Add(Notification.Create(
            context.MessageId!.Value, $"order:{message.OrderId}", message.CooperativeId, MessageTemplates.CounterReceipt, language, DeliveryChannel.WhatsApp, whatsApp,
            [MessageText.OneLine(name, 100), receipt, Rupiah.Display(message.TotalRupiah), message.ReceiptUrl], now));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Counter sale {OrderId}: the buyer's number is not a phone number; no receipt is sent")]
    private static partial void LogUnusableNumber(ILogger logger, Guid orderId);
}

internal static class CounterSales
{
    /// <summary>
    /// Serialises the news of one sale: the consumer recording it as a counter sale and one putting its lines into a
    /// digest cannot pass each other unseen, whichever message comes first.
    /// </summary>
    public static Task LockAsync(NotificationsDbContext db, Guid orderId, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({BitConverter.ToInt64(orderId.ToByteArray())})", cancellationToken);

    public static Task<bool> IsCounterSaleAsync(NotificationsDbContext db, Guid orderId, CancellationToken cancellationToken) =>
        db.Set<CounterSale>().AnyAsync(s => s.OrderId == orderId, cancellationToken);
}

internal sealed class CounterSaleConfiguration : IEntityTypeConfiguration<CounterSale>
{
    public void Configure(EntityTypeBuilder<CounterSale> builder)
    {
        builder.ToTable("counter_sales");
        builder.HasKey(s => s.OrderId);
        builder.Property(s => s.OrderId).ValueGeneratedNever();
        builder.Property(s => s.ReceiptNumber).HasMaxLength(40);
    }
}
