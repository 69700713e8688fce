using System.Text.Json;
using Marketplace.Contracts.Catalog;
using Marketplace.Contracts.Orders;
using Marketplace.Notifications;
using Marketplace.Notifications.Counter;
using Marketplace.Notifications.Digests;
using Marketplace.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests;

/// <summary>
/// A walk-in buyer who gives her number gets the receipt's link on WhatsApp, once per sale, in her language; the sale's
/// OrderPaid neither waits for a shopper's confirmation nor asks its members to prepare what was handed over already.
/// </summary>
public sealed class CounterReceiptTests(NotificationsHost host) : IClassFixture<NotificationsHost>
{
    private static int _numbers;

    private static (string Typed, string E164) NewNumber()
    {
        var rest = (Interlocked.Increment(ref _numbers) + Random.Shared.Next(1_000_000, 8_000_000)).ToString("D7", System.Globalization.CultureInfo.InvariantCulture);
        return ($"0814 {rest[..3]} {rest[3..]}", $"+62814{rest}");
    }

    private static CounterSaleRecorded Sale(Guid cooperativeId, string? whatsApp, string language = "id", long total = 62_500) => new(
        Guid.NewGuid(), cooperativeId, "K-20261201-0007", "https://pasar.binor.test/nota/" + Guid.NewGuid() + "?key=r4nd0m", total, PaymentChannel.Cash,
        whatsApp, language, DateTimeOffset.UtcNow);

    [Fact]
    public async Task A_buyer_who_gave_her_number_gets_the_receipt_link_once_in_her_language()
    {
        var cooperative = await KnownCooperativeAsync("Koperasi Melati");
        var (typed, number) = NewNumber();
        var sale = Sale(cooperative, typed);
        var messageId = Guid.NewGuid();

        // Delivered three times, and the same sale announced again under a new message id: one receipt.
        for (var i = 0; i < 3; i++)
        {
            await host.PublishAsync(sale, messageId);
        }

        await host.PublishAsync(sale, Guid.NewGuid());

        var told = await Eventually.GetAsync(
            () => host.MessagesToAsync(number),
            m => m.EnumerateArray().Any(x => x.TryGetProperty("status", out var status) && status.GetString() == "delivered"),
            because: "the receipt to be delivered");
        var receipt = Assert.Single(told.EnumerateArray());
        Assert.Equal(("counter_receipt", "id"), (receipt.GetProperty("template_name").GetString(), receipt.GetProperty("language").GetString()));
        Assert.Equal(
            $"Terima kasih sudah berbelanja di Koperasi Melati. Nota K-20261201-0007, total Rp 62.500. Nota lengkapnya bisa dibuka dan disimpan di {sale.ReceiptUrl} kapan saja. Sampai jumpa lagi!",
            receipt.GetProperty("text").GetString());
        Assert.Single(await host.NotificationsForAsync(sale.OrderId));

        var (englishTyped, englishNumber) = NewNumber();
        var english = Sale(cooperative, englishTyped.Replace("0814 ", "+62 814 ", StringComparison.Ordinal), "en", 1_250_000);
        await host.PublishAsync(english, Guid.NewGuid());
        var inEnglish = await Eventually.GetAsync(() => host.MessagesToAsync(englishNumber), m => m.GetArrayLength() > 0, because: "the English receipt");
        Assert.Equal(
            $"Thank you for shopping at Koperasi Melati. Receipt K-20261201-0007, total Rp 1.250.000. Open and keep the full receipt at {english.ReceiptUrl} any time. See you again!",
            inEnglish[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_sale_without_a_number_sends_nothing_and_its_payment_tells_nobody_without_waiting()
    {
        var cooperative = await KnownCooperativeAsync("Koperasi Kenanga");
        var sale = Sale(cooperative, whatsApp: null);
        await PublishAndWaitAsync(sale, nameof(CounterSaleRecordedConsumer));
        Assert.True(await WithDbAsync(db => db.Set<CounterSale>().AnyAsync(s => s.OrderId == sale.OrderId)));

        // Its OrderPaid has no shopper's confirmation to wait for: handled at once (not put off for five minutes), telling nobody.
        var member = Guid.NewGuid();
        await PublishAndWaitAsync(Paid(sale.OrderId, cooperative, member), "OrderPaidConsumer");
        Assert.Empty(await host.NotificationsForAsync(sale.OrderId));
    }

    [Fact]
    public async Task A_walk_in_sale_asks_no_member_to_prepare_its_lines_whichever_message_comes_first()
    {
        var cooperative = await KnownCooperativeAsync("Koperasi Cempaka");

        // The sale announced first: its payment opens no digest.
        var (first, firstMember) = (Sale(cooperative, null), Guid.NewGuid());
        await PublishAndWaitAsync(first, nameof(CounterSaleRecordedConsumer));
        await PublishAndWaitAsync(Paid(first.OrderId, cooperative, firstMember), "MemberLinesConsumer");
        Assert.Null(await OpenDigestAsync(firstMember));

        // The payment first: its lines join the member's digest beside an online order's, then the sale takes them out.
        var (second, member) = (Sale(cooperative, null), Guid.NewGuid());
        var online = Guid.NewGuid();
        await PublishAndWaitAsync(Paid(online, cooperative, member), "MemberLinesConsumer");
        await PublishAndWaitAsync(Paid(second.OrderId, cooperative, member), "MemberLinesConsumer");
        Assert.Equal(2, (await OpenDigestAsync(member))!.Items.Count);
        await PublishAndWaitAsync(second, nameof(CounterSaleRecordedConsumer));
        Assert.Equal([online], (await OpenDigestAsync(member))!.Items.Select(i => i.Reference));

        // A digest holding only a walk-in sale's lines is closed unsent.
        var (third, alone) = (Sale(cooperative, null), Guid.NewGuid());
        await PublishAndWaitAsync(Paid(third.OrderId, cooperative, alone), "MemberLinesConsumer");
        Assert.NotNull(await OpenDigestAsync(alone));
        await PublishAndWaitAsync(third, nameof(CounterSaleRecordedConsumer));
        Assert.Null(await OpenDigestAsync(alone));
        Assert.Equal(DigestStatus.Skipped, await WithDbAsync(db => db.Digests.Where(d => d.SubjectId == alone).Select(d => d.Status).SingleAsync()));
    }

    private static OrderPaid Paid(Guid orderId, Guid cooperativeId, Guid memberId) =>
        new(orderId, cooperativeId, PaymentChannel.Cash, null, [new SoldLine(Guid.NewGuid(), memberId, Guid.NewGuid(), Guid.NewGuid(), "kerupuk", "Kerupuk Ikan", 2, 25_000, 50_000, 10m)],
            0, 50_000, DateTimeOffset.UtcNow);

    private async Task PublishAndWaitAsync<T>(T message, string consumer)
        where T : class
    {
        var id = Guid.NewGuid();
        await host.PublishAsync(message, id);
        await Eventually.TrueAsync(
            async () => await WithDbAsync(db => db.Database.SqlQuery<int>(
                $"SELECT count(*)::int AS \"Value\" FROM notifications.inbox_messages WHERE message_id = {id} AND consumer = {consumer}").SingleAsync()) == 1,
            TimeSpan.FromSeconds(20),
            $"{consumer} to handle its {typeof(T).Name}");
    }

    private Task<Digest?> OpenDigestAsync(Guid member) =>
        WithDbAsync(db => db.Digests.AsNoTracking().FirstOrDefaultAsync(d => d.Kind == DigestKind.MemberLines && d.SubjectId == member && d.Status == DigestStatus.Open));

    private async Task<TResult> WithDbAsync<TResult>(Func<NotificationsDbContext, Task<TResult>> query)
    {
        await using var scope = host.Notifications.CreateScope();
        return await query(scope.ServiceProvider.GetRequiredService<NotificationsDbContext>());
    }

    private async Task<Guid> KnownCooperativeAsync(string name)
    {
        var cooperative = Guid.NewGuid();
        await host.PublishAsync(new CooperativeUpdated(cooperative, "koperasi-" + cooperative.ToString("N")[..8], name, true,
            new FeePolicy(10m, new Dictionary<string, decimal>()), "Asia/Jakarta", [], 3, DateTimeOffset.UtcNow, null), Guid.NewGuid());
        await Eventually.TrueAsync(async () => await WithDbAsync(db => db.Cooperatives.AnyAsync(c => c.CooperativeId == cooperative)), because: "the cooperative to be known");
        return cooperative;
    }
}
