using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MassTransit;
using Marketplace.Contracts.Orders;
using Marketplace.LocalInfrastructure;
using Marketplace.Notifications;
using Marketplace.Notifications.Deliveries;
using Marketplace.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests;

/// <summary>Notifications on real ports, sending through the WhatsApp emulator, which reports statuses back to it.</summary>
public sealed class NotificationsHost : IAsyncLifetime
{
    public const string AppSecret = "notifications-test-app-secret";

    public ServiceHost<Marketplace.Notifications.Program> Notifications { get; private set; } = null!;

    public ServiceHost<Marketplace.WhatsAppEmulator.Program> WhatsApp { get; private set; } = null!;

    public HttpClient Emulator { get; private set; } = null!;

    /// <summary>The SMTP server email goes to; a test reads what it sent from its inbox.</summary>
    public TestMail Mail { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Mail = await TestInfrastructure.GetSharedMailAsync();
        (Notifications, WhatsApp, Emulator) = await StartAsync(settings =>
        {
            settings["Notifications:RetryDelays:0"] = "00:00:00.200";
            settings["Notifications:RetryDelays:1"] = "00:00:00.200";
            settings["Notifications:RetryDelays:2"] = "00:00:00.200";
            settings["Email:Host"] = Mail.Host;
            settings["Email:Port"] = Mail.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            settings["Email:Security"] = "None";
            settings["Email:FromAddress"] = "toko@pantaibinor.test";
        });
    }

    /// <summary>
    /// The WhatsApp emulator (knowing Notifications' templates) and Notifications, wired to each other on free ports with
    /// the settings every test host shares; then <paramref name="configure"/>'s, and <paramref name="services"/>' replacements.
    /// </summary>
    public static async Task<(ServiceHost<Marketplace.Notifications.Program> Notifications, ServiceHost<Marketplace.WhatsAppEmulator.Program> WhatsApp, HttpClient Emulator)>
        StartAsync(Action<Dictionary<string, string?>> configure, Action<IServiceCollection>? services = null)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var scope = await TestScope.CreateAsync();
        var notificationsPort = FreePorts.Next();
        var whatsAppPort = FreePorts.Next();

        var emulator = new Dictionary<string, string?>
        {
            ["WhatsAppEmulator:AccessToken"] = "test-token",
            ["WhatsAppEmulator:PhoneNumberId"] = "100000000000009",
            ["WhatsAppEmulator:AppSecret"] = AppSecret,
            ["WhatsAppEmulator:WebhookUrl"] = $"http://127.0.0.1:{notificationsPort}/api/notifications/whatsapp/webhook",
            ["WhatsAppEmulator:StatusDelay"] = "00:00:00.050",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        EmulatorTemplates.AddTo(emulator);

        var whatsApp = new ServiceHost<Marketplace.WhatsAppEmulator.Program>(emulator);
        whatsApp.ListenOn(whatsAppPort);
        whatsApp.StartServer();

        var settings = ServiceSettings.For(scope, TestTokens.Issuer, "notifications");
        settings["ConnectionStrings:notificationsdb"] = scope.Database("notifications");
        settings["WhatsApp:ApiBase"] = $"http://127.0.0.1:{whatsAppPort}";
        settings["WhatsApp:PhoneNumberId"] = "100000000000009";
        settings["WhatsApp:AccessToken"] = "test-token";
        settings["WhatsApp:AppSecret"] = AppSecret;
        settings["WhatsApp:VerifyToken"] = "verify-me";
        settings["Notifications:PollInterval"] = "00:00:00.200";
        configure(settings);
        var notifications = new ServiceHost<Marketplace.Notifications.Program>(settings, services);
        notifications.ListenOn(notificationsPort);
        notifications.StartServer();
        var client = notifications.CreateClient();
        await Eventually.TrueAsync(async () => (await client.GetAsync(new Uri("/health/ready", UriKind.Relative))).IsSuccessStatusCode, TimeSpan.FromSeconds(60), "Notifications to be ready");
        return (notifications, whatsApp, new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{whatsAppPort}") });
    }

    public async Task DisposeAsync()
    {
        Emulator.Dispose();
        await Notifications.DisposeAsync();
        await WhatsApp.DisposeAsync();
    }

    public Task PublishAsync<T>(T message, Guid messageId)
        where T : class =>
        Notifications.Services.GetRequiredService<IBus>().Publish(message, context => context.MessageId = messageId);

    /// <summary>What the emulator received for one number.</summary>
    public async Task<JsonElement> MessagesToAsync(string number) =>
        await Emulator.GetFromJsonAsync<JsonElement>($"/_emulator/messages?to={Uri.EscapeDataString(number.TrimStart('+'))}");

    public async Task<List<Notification>> NotificationsForAsync(Guid orderId)
    {
        await using var scope = Notifications.CreateScope();
        var recipient = $"order:{orderId}";
        return await scope.ServiceProvider.GetRequiredService<NotificationsDbContext>().Notifications.AsNoTracking().Where(n => n.Recipient == recipient).ToListAsync();
    }
}

public sealed class ShopperNotificationTests(NotificationsHost host) : IClassFixture<NotificationsHost>
{
    private static int _numbers;

    private static string NewNumber() => $"+62812{Interlocked.Increment(ref _numbers) + Random.Shared.Next(1_000_000, 8_000_000):D7}";

    private static OrderConfirmed KioskOrder(string whatsApp, string language = "id") => new(
        Guid.NewGuid(), Guid.NewGuid(), "K7P2QX", PayAtKiosk: true, Shipping: false, new DateOnly(2026, 12, 24),
        new DateTimeOffset(2026, 12, 24, 17, 0, 0, TimeSpan.FromHours(7)), 55_000, new ShopperContact("Wulan", whatsApp, null, language), DateTimeOffset.UtcNow);

    [Fact]
    public async Task A_kiosk_order_tells_its_shopper_her_pickup_code_and_when_to_pay_in_her_language_and_ends_delivered()
    {
        var indonesian = NewNumber();
        var english = NewNumber();
        var first = KioskOrder(indonesian);
        var second = KioskOrder(english, "en");

        await host.PublishAsync(first, Guid.NewGuid());
        await host.PublishAsync(second, Guid.NewGuid());

        var message = await Eventually.GetAsync(() => host.MessagesToAsync(indonesian), m => m.GetArrayLength() == 1, because: "the shopper's WhatsApp message");
        var text = message.ToString();
        Assert.Contains("shopper_order_at_kiosk", text, StringComparison.Ordinal);
        Assert.Contains("K7P2QX", text, StringComparison.Ordinal);
        Assert.Contains("Rp 55.000", text, StringComparison.Ordinal);
        Assert.Contains("Kamis, 24 Desember 2026", text, StringComparison.Ordinal);
        Assert.Contains("17.00 WIB", text, StringComparison.Ordinal);
        // A cooperative Notifications has not heard of yet: where and when are asked from the order's page, never left out.
        Assert.Contains("Tempat: tanyakan lokasinya lewat halaman pesanan. Jam buka: tanyakan lewat halaman pesanan.", text, StringComparison.Ordinal);
        Assert.Contains($"/orders/{first.OrderId}", text, StringComparison.Ordinal);
        var inEnglish = (await Eventually.GetAsync(() => host.MessagesToAsync(english), m => m.GetArrayLength() == 1, because: "the English shopper's message")).ToString();
        Assert.Contains("Thursday, 24 December 2026", inEnglish, StringComparison.Ordinal);
        Assert.Contains("Where: ask for the way from your order page. Opening hours: ask from your order page.", inEnglish, StringComparison.Ordinal);
        await Eventually.TrueAsync(
            async () => (await host.NotificationsForAsync(first.OrderId)) is [{ Status: NotificationStatus.Delivered }],
            because: "WhatsApp's signed status reports to move the message to delivered");
    }

    [Fact]
    public async Task The_message_names_the_cooperative_whose_kiosk_it_is_and_tells_time_in_its_zone()
    {
        var number = NewNumber();
        var cooperative = Guid.NewGuid();
        await host.PublishAsync(new Contracts.Catalog.CooperativeUpdated(cooperative, "koperasi-mawar", "Koperasi Mawar", true,
            new Contracts.Catalog.FeePolicy(10m, new Dictionary<string, decimal>()), "Asia/Makassar",
            [
                new Contracts.Catalog.OpeningHours(DayOfWeek.Saturday, new TimeOnly(8, 0), new TimeOnly(12, 0)),
                new Contracts.Catalog.OpeningHours(DayOfWeek.Sunday, new TimeOnly(8, 0), new TimeOnly(12, 0)),
            ], 2, DateTimeOffset.UtcNow, "Kios hijau di parkiran Pantai Binor"), Guid.NewGuid());
        await Eventually.TrueAsync(
            async () =>
            {
                await using var scope = host.Notifications.CreateScope();
                return await scope.ServiceProvider.GetRequiredService<NotificationsDbContext>().Cooperatives.AnyAsync(c => c.CooperativeId == cooperative && c.Revision == 2);
            },
            because: "Notifications to learn the cooperative");

        await host.PublishAsync(KioskOrder(number) with { CooperativeId = cooperative }, Guid.NewGuid());

        var text = (await Eventually.GetAsync(() => host.MessagesToAsync(number), m => m.GetArrayLength() == 1, because: "the message")).ToString();
        Assert.Contains("di kios Koperasi Mawar", text, StringComparison.Ordinal);
        // 17:00 in Jakarta is 18:00 in Makassar.
        Assert.Contains("18.00 WITA", text, StringComparison.Ordinal);
        Assert.Contains("Tempat: Kios hijau di parkiran Pantai Binor. Jam buka: Sabtu-Minggu 08.00-12.00 WITA.", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_kiosk_order_with_no_pickup_day_or_pay_by_time_says_words_for_them_never_an_empty_parameter()
    {
        var number = NewNumber();
        var order = KioskOrder(number) with { PickupDate = null, PayBy = null };

        await host.PublishAsync(order, Guid.NewGuid());

        var message = (await Eventually.GetAsync(() => host.MessagesToAsync(number), m => m.GetArrayLength() == 1, because: "the message")).EnumerateArray().Single();
        Assert.DoesNotContain(message.GetProperty("parameters").EnumerateArray(), p => string.IsNullOrWhiteSpace(p.GetString()));
        Assert.Contains("pada hari Anda datang, paling lambat jam tutup kios", message.GetProperty("text").GetString(), StringComparison.Ordinal);
        await Eventually.TrueAsync(
            async () => (await host.NotificationsForAsync(order.OrderId)) is [{ Status: NotificationStatus.Delivered }], because: "WhatsApp to take and deliver it");
    }

    [Fact]
    public async Task An_order_paid_online_is_told_in_words_for_its_delivery_and_names_no_payment_method()
    {
        var pickupNumber = NewNumber();
        var shippedNumber = NewNumber();
        var englishNumber = NewNumber();
        var pickup = KioskOrder(pickupNumber) with { PayAtKiosk = false };
        var shipped = KioskOrder(shippedNumber) with { PayAtKiosk = false, Shipping = true, PickupDate = null };
        var shippedInEnglish = KioskOrder(englishNumber, "en") with { PayAtKiosk = false, Shipping = true, PickupDate = null, PayBy = null };

        await host.PublishAsync(pickup, Guid.NewGuid());
        await host.PublishAsync(shipped, Guid.NewGuid());
        await host.PublishAsync(shippedInEnglish, Guid.NewGuid());

        var atKiosk = await OnlyMessageAsync(pickupNumber);
        Assert.Equal("shopper_order_awaiting_payment", atKiosk.GetProperty("template_name").GetString());
        var atKioskText = atKiosk.GetProperty("text").GetString()!;
        Assert.Contains("menunggu pembayaran sebesar Rp 55.000 sampai 24 Des 2026 17.00 WIB", atKioskText, StringComparison.Ordinal);
        Assert.Contains("saat mengambil di kios", atKioskText, StringComparison.Ordinal);

        var byCourier = await OnlyMessageAsync(shippedNumber);
        Assert.Equal("shopper_order_awaiting_payment_shipped", byCourier.GetProperty("template_name").GetString());
        var byCourierText = byCourier.GetProperty("text").GetString()!;
        Assert.Contains("kami kemas dan kirim", byCourierText, StringComparison.Ordinal);
        Assert.Contains($"/orders/{shipped.OrderId}", byCourierText, StringComparison.Ordinal);
        Assert.DoesNotContain("mengambil", byCourierText, StringComparison.Ordinal);

        var english = (await OnlyMessageAsync(englishNumber)).GetProperty("text").GetString()!;
        Assert.Contains("waiting for your payment of Rp 55.000 until the time shown on your order page", english, StringComparison.Ordinal);
        Assert.Contains("we pack and ship it", english, StringComparison.Ordinal);
        Assert.DoesNotContain("collect", english, StringComparison.Ordinal);
        foreach (var text in new[] { atKioskText, byCourierText, english })
        {
            // She may pay by QRIS or an e-wallet as well as by card.
            Assert.DoesNotContain("kartu", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("card", text, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task The_shopper_hears_of_payment_refund_and_cancellation_even_when_payment_news_comes_first()
    {
        var number = NewNumber();
        var order = KioskOrder(number) with { PayAtKiosk = false };
        var now = DateTimeOffset.UtcNow;

        // Payment news that overtakes the confirmation waits for it instead of being lost.
        await host.PublishAsync(new OrderPaid(order.OrderId, order.CooperativeId, PaymentChannel.Card, "pi_1", [], 0, 55_000, now), Guid.NewGuid());
        await Task.Delay(300);
        await host.PublishAsync(order, Guid.NewGuid());
        await Eventually.TrueAsync(async () => (await host.MessagesToAsync(number)).GetArrayLength() == 2, because: "the confirmation and the payment");
        await host.PublishAsync(new OrderRefunded(order.OrderId, order.CooperativeId, Guid.NewGuid(), RefundMethod.Card, [], 0, 15_000, now), Guid.NewGuid());
        await Eventually.TrueAsync(async () => (await host.MessagesToAsync(number)).GetArrayLength() == 3, because: "the refund");
        await host.PublishAsync(new OrderCancelled(order.OrderId, order.CooperativeId, "cooperative", true, now), Guid.NewGuid());

        var messages = await Eventually.GetAsync(() => host.MessagesToAsync(number), m => m.GetArrayLength() == 4, because: "the cancellation");
        var texts = messages.EnumerateArray().Select(m => m.ToString()).ToList();
        Assert.Contains(texts, t => t.Contains("shopper_order_awaiting_payment", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains("shopper_order_paid", StringComparison.Ordinal) && t.Contains($"/orders/{order.OrderId}", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains("shopper_refund_to_card", StringComparison.Ordinal) && t.Contains("Rp 15.000", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains("shopper_order_cancelled_refunded", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_event_delivered_three_times_sends_one_message()
    {
        var number = NewNumber();
        var order = KioskOrder(number);
        var messageId = Guid.NewGuid();

        for (var i = 0; i < 3; i++)
        {
            await host.PublishAsync(order, messageId);
        }

        await Eventually.TrueAsync(async () => (await host.NotificationsForAsync(order.OrderId)) is [{ Status: NotificationStatus.Delivered }], because: "the message to be delivered");
        Assert.Equal(1, (await host.MessagesToAsync(number)).GetArrayLength());
    }

    [Fact]
    public async Task WhatsApp_failing_twice_then_taking_the_message_ends_delivered()
    {
        var number = NewNumber();
        (await host.Emulator.PostAsJsonAsync("/_emulator/fail-next", new { count = 2 })).EnsureSuccessStatusCode();
        var order = KioskOrder(number);

        await host.PublishAsync(order, Guid.NewGuid());

        var delivered = await Eventually.GetAsync(
            () => host.NotificationsForAsync(order.OrderId), n => n is [{ Status: NotificationStatus.Delivered }], because: "the third attempt to get through");
        Assert.Equal(3, delivered[0].Attempts);
        Assert.Equal(1, (await host.MessagesToAsync(number)).GetArrayLength());
    }

    [Fact]
    public async Task A_status_report_with_a_bad_signature_is_refused_and_changes_nothing()
    {
        var number = NewNumber();
        var order = KioskOrder(number);
        (await host.Emulator.PostAsJsonAsync("/_emulator/delays", new { webhooks = "00:00:30" })).EnsureSuccessStatusCode();
        try
        {
            await host.PublishAsync(order, Guid.NewGuid());
            var accepted = await Eventually.GetAsync(
                () => host.NotificationsForAsync(order.OrderId), n => n is [{ Status: NotificationStatus.Accepted }], because: "WhatsApp to take the message");
            var payload = JsonSerializer.Serialize(new
            {
                @object = "whatsapp_business_account",
                entry = new[] { new { id = "1", changes = new[] { new { field = "messages", value = new { statuses = new[] { new { id = accepted[0].ProviderMessageId, status = "read", timestamp = "1764547200", recipient_id = number.TrimStart('+') } } } } } } },
            });
            var client = host.Notifications.CreateClient();

            var forged = await PostSignedAsync(client, payload, "some-other-secret");
            var unsigned = await client.PostAsync(new Uri("/api/notifications/whatsapp/webhook", UriKind.Relative), new StringContent(payload, Encoding.UTF8, "application/json"));

            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
            Assert.Equal(HttpStatusCode.BadRequest, unsigned.StatusCode);
            Assert.Equal(NotificationStatus.Accepted, (await host.NotificationsForAsync(order.OrderId))[0].Status);
            Assert.Equal(HttpStatusCode.OK, (await PostSignedAsync(client, payload, NotificationsHost.AppSecret)).StatusCode);
            Assert.Equal(NotificationStatus.Read, (await host.NotificationsForAsync(order.OrderId))[0].Status);
        }
        finally
        {
            (await host.Emulator.PostAsJsonAsync("/_emulator/delays", new { webhooks = "00:00:00" })).EnsureSuccessStatusCode();
        }
    }

    [Fact]
    public async Task The_webhook_answers_Metas_handshake_only_with_the_verify_token()
    {
        var client = host.Notifications.CreateClient();

        var ours = await client.GetAsync(new Uri("/api/notifications/whatsapp/webhook?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444", UriKind.Relative));
        var theirs = await client.GetAsync(new Uri("/api/notifications/whatsapp/webhook?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1158201444", UriKind.Relative));

        Assert.Equal("1158201444", await ours.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, theirs.StatusCode);
    }

    private async Task<JsonElement> OnlyMessageAsync(string number) =>
        (await Eventually.GetAsync(() => host.MessagesToAsync(number), m => m.GetArrayLength() == 1, because: "the shopper's message")).EnumerateArray().Single();

    private static Task<HttpResponseMessage> PostSignedAsync(HttpClient client, string payload, string secret)
    {
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(payload)));
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/notifications/whatsapp/webhook", UriKind.Relative))
        {
            Content = new StringContent(payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Hub-Signature-256", $"sha256={signature}");
        return client.SendAsync(request);
    }
}
