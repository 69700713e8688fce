using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Contracts.Gateway;
using Marketplace.Contracts.Orders;
using Marketplace.Notifications;
using Marketplace.Notifications.Deliveries;
using Marketplace.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests;

/// <summary>
/// The rest of what a shopper hears (her parcel arrived, her order cancelled, her money given back in cash), her email
/// read back from the SMTP server when she chose email, and a message WhatsApp keeps refusing ending failed where the
/// admin sees it. Real RabbitMQ, PostgreSQL, the WhatsApp emulator and smtp4dev; a host of its own (the emulator is told to fail).
/// </summary>
public sealed class ShopperEventTests(NotificationsHost host) : IClassFixture<NotificationsHost>
{
    private static string NewNumber() => $"+62815{Random.Shared.Next(1_000_000, 9_999_999):D7}";

    private static OrderConfirmed Order(string whatsApp, string language = "id", Guid? cooperativeId = null, bool shipping = false, Guid? userId = null, string? email = null) => new(
        Guid.NewGuid(), cooperativeId ?? Guid.NewGuid(), "T4MU9Z", PayAtKiosk: !shipping, shipping, shipping ? null : new DateOnly(2026, 12, 24),
        new DateTimeOffset(2026, 12, 24, 17, 0, 0, TimeSpan.FromHours(7)), 120_000, new ShopperContact("Ayu", whatsApp, email, language), DateTimeOffset.UtcNow, userId);

    private async Task<List<JsonElement>> MessagesAsync(string number, int count) =>
        [.. (await Eventually.GetAsync(() => host.MessagesToAsync(number), m => m.GetArrayLength() >= count, because: $"{count} message(s) to the shopper")).EnumerateArray()];

    private static JsonElement Only(List<JsonElement> messages, string template) =>
        Assert.Single(messages, m => m.GetProperty("template_name").GetString() == template);

    [Fact]
    public async Task A_delivered_parcel_is_told_once_in_her_language_and_a_kiosk_hand_over_is_not()
    {
        var (indonesian, english, handedOver) = (NewNumber(), NewNumber(), NewNumber());
        var shipped = Order(indonesian, shipping: true);
        var shippedInEnglish = Order(english, "en", shipping: true);
        var atKiosk = Order(handedOver);
        foreach (var order in new[] { shipped, shippedInEnglish, atKiosk })
        {
            await host.PublishAsync(order, Guid.NewGuid());
        }

        var delivered = Guid.NewGuid();
        for (var i = 0; i < 3; i++)
        {
            await host.PublishAsync(new OrderLinesFulfilled(shipped.OrderId, shipped.CooperativeId, [], "delivered", DateTimeOffset.UtcNow), delivered);
        }

        await host.PublishAsync(new OrderLinesFulfilled(shippedInEnglish.OrderId, shippedInEnglish.CooperativeId, [], "delivered", DateTimeOffset.UtcNow), Guid.NewGuid());
        var handOver = Guid.NewGuid();
        await host.PublishAsync(new OrderLinesFulfilled(atKiosk.OrderId, atKiosk.CooperativeId, [], "handed_over", DateTimeOffset.UtcNow), handOver);

        var arrived = Only(await MessagesAsync(indonesian, 2), "shopper_order_delivered");
        Assert.Equal("id", arrived.GetProperty("language").GetString());
        Assert.Equal("Halo Ayu, paket pesanan T4MU9Z sudah sampai. Terima kasih sudah berbelanja oleh-oleh Pantai Binor!", arrived.GetProperty("text").GetString());
        Assert.Equal("Hello Ayu, the parcel of order T4MU9Z has arrived. Thank you for buying Pantai Binor souvenirs!",
            Only(await MessagesAsync(english, 2), "shopper_order_delivered").GetProperty("text").GetString());
        await Eventually.TrueAsync(
            async () => (await host.NotificationsForAsync(shipped.OrderId)).Count(n => n.Template == "shopper_order_delivered" && n.Status == NotificationStatus.Delivered) == 1,
            because: "the arrival message to be delivered");
        Assert.Equal(2, (await host.MessagesToAsync(indonesian)).GetArrayLength());
        // The kiosk's hand-over was handled (it stands in the inbox) and told nothing: she was standing there.
        await Eventually.TrueAsync(
            async () =>
            {
                await using var scope = host.Notifications.CreateScope();
                return await scope.ServiceProvider.GetRequiredService<NotificationsDbContext>().Set<Marketplace.ServiceDefaults.Messaging.InboxMessage>()
                    .AnyAsync(m => m.MessageId == handOver && m.Consumer == "OrderLinesFulfilledConsumer");
            },
            because: "the hand-over to be handled");
        Assert.DoesNotContain(await host.NotificationsForAsync(atKiosk.OrderId), n => n.Template == "shopper_order_delivered");
    }

    [Fact]
    public async Task A_cancelled_unpaid_order_says_she_owes_nothing_and_cash_given_back_says_so()
    {
        var (cancelledNumber, refundNumber, englishNumber) = (NewNumber(), NewNumber(), NewNumber());
        var cancelled = Order(cancelledNumber);
        var refunded = Order(refundNumber);
        var refundedInEnglish = Order(englishNumber, "en");
        foreach (var order in new[] { cancelled, refunded, refundedInEnglish })
        {
            await host.PublishAsync(order, Guid.NewGuid());
        }

        var now = DateTimeOffset.UtcNow;
        await host.PublishAsync(new OrderCancelled(cancelled.OrderId, cancelled.CooperativeId, "payment_expired", false, now), Guid.NewGuid());
        await host.PublishAsync(new OrderRefunded(refunded.OrderId, refunded.CooperativeId, Guid.NewGuid(), RefundMethod.Cash, [], 0, 35_000, now), Guid.NewGuid());
        await host.PublishAsync(new OrderRefunded(refundedInEnglish.OrderId, refundedInEnglish.CooperativeId, Guid.NewGuid(), RefundMethod.Cash, [], 0, 35_000, now), Guid.NewGuid());

        var cancellation = Only(await MessagesAsync(cancelledNumber, 2), "shopper_order_cancelled");
        Assert.Equal("Halo Ayu, pesanan T4MU9Z dibatalkan. Barangnya kembali dijual; tidak ada yang perlu Anda bayar.", cancellation.GetProperty("text").GetString());
        Assert.DoesNotContain(await MessagesAsync(cancelledNumber, 2), m => m.GetProperty("template_name").GetString() == "shopper_order_cancelled_refunded");
        Assert.Equal("Halo Ayu, Rp 35.000 dari pesanan T4MU9Z sudah dikembalikan tunai di kios.",
            Only(await MessagesAsync(refundNumber, 2), "shopper_refund_in_cash").GetProperty("text").GetString());
        Assert.Equal("Hello Ayu, Rp 35.000 from order T4MU9Z was given back to you in cash at the kiosk.",
            Only(await MessagesAsync(englishNumber, 2), "shopper_refund_in_cash").GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_shopper_who_chose_email_reads_her_order_in_her_mailbox()
    {
        var scope = await TestScope.CreateAsync();
        var address = scope.EmailAddress("ayu");
        var number = NewNumber();
        var userId = Guid.NewGuid();
        await host.PublishAsync(new AccountContactChanged(userId, "Ayu", address, number, null, null, [], DateTimeOffset.UtcNow), Guid.NewGuid());
        await Eventually.TrueAsync(
            async () =>
            {
                await using var services = host.Notifications.CreateScope();
                var db = services.ServiceProvider.GetRequiredService<NotificationsDbContext>();
                // Her choice on her account, as the preferences page saves it.
                return await db.People.Where(p => p.UserId == userId)
                    .ExecuteUpdateAsync(p => p.SetProperty(x => x.PreferredChannel, DeliveryChannel.Email).SetProperty(x => x.ChosenAt, DateTimeOffset.UtcNow)) == 1;
            },
            because: "her account to be known");
        var order = Order(number, userId: userId);

        await host.PublishAsync(order, Guid.NewGuid());

        var email = await host.Mail.Inbox.ReadAsync(Assert.Single(await host.Mail.Inbox.WaitForMessagesToAsync(address)).Id);
        Assert.Equal("Pesanan T4MU9Z tercatat: ambil dan bayar di kios", email.Subject);
        Assert.Contains("Halo Ayu, pesanan Anda tercatat. Kode ambil: T4MU9Z. Total Rp 120.000, dibayar saat mengambil di kios koperasi pada Kamis, 24 Desember 2026",
            email.PlainText, StringComparison.Ordinal);
        Assert.Contains($"/orders/{order.OrderId}", email.PlainText, StringComparison.Ordinal);
        Assert.Equal(0, (await host.MessagesToAsync(number)).GetArrayLength());
    }

    [Fact]
    public async Task WhatsApp_failing_more_times_than_there_are_retries_ends_failed_in_the_admins_log()
    {
        var cooperative = Guid.NewGuid();
        var number = NewNumber();
        // One attempt and one per retry delay (three in this host): every one of them fails.
        (await host.Emulator.PostAsJsonAsync("/_emulator/fail-next", new { count = 4 })).EnsureSuccessStatusCode();
        var order = Order(number, cooperativeId: cooperative);

        await host.PublishAsync(order, Guid.NewGuid());

        var failed = Assert.Single(await Eventually.GetAsync(
            () => host.NotificationsForAsync(order.OrderId), n => n is [{ Status: NotificationStatus.Failed }], because: "the retries to run out"));
        Assert.Equal(4, failed.Attempts);
        Assert.Equal(0, (await host.MessagesToAsync(number)).GetArrayLength());
        var admin = host.Notifications.CreateClient().WithToken(TestTokens.CooperativeAdmin(cooperative));
        var log = await admin.GetFromJsonAsync<JsonElement>($"/api/notifications/cooperatives/{cooperative}/deliveries?status=failed");
        var shown = Assert.Single(log.GetProperty("items").EnumerateArray());
        Assert.Equal(failed.Id, shown.GetProperty("id").GetGuid());
        Assert.Equal("failed", shown.GetProperty("status").GetString());
        Assert.Equal("provider_unreachable", shown.GetProperty("reason").GetString());
        Assert.Equal(4, shown.GetProperty("attempts").GetInt32());
    }

    [Fact]
    public async Task A_message_of_a_retired_template_still_shows_in_the_admins_log()
    {
        var cooperative = Guid.NewGuid();
        var order = Guid.NewGuid();
        await using (var scope = host.Notifications.CreateScope())
        {
            // Written before shopper_order_by_card gave way to the awaiting-payment messages.
            var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
            db.Notifications.Add(Notification.Create(Guid.NewGuid(), $"order:{order}", cooperative, "shopper_order_by_card", "id", DeliveryChannel.WhatsApp,
                NewNumber(), ["Ayu", "T4MU9Z", "Rp 120.000", "24 Des 2026 17.00 WIB"], DateTimeOffset.UtcNow));
            await db.SaveChangesAsync();
        }

        var admin = host.Notifications.CreateClient().WithToken(TestTokens.CooperativeAdmin(cooperative));
        var log = await admin.GetFromJsonAsync<JsonElement>($"/api/notifications/cooperatives/{cooperative}/deliveries");

        var shown = Assert.Single(log.GetProperty("items").EnumerateArray());
        Assert.Equal("shopper_order_by_card", shown.GetProperty("template").GetString());
        Assert.False(shown.GetProperty("erased").GetBoolean());
    }
}
