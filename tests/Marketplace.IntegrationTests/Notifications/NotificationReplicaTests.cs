using System.Collections.Concurrent;
using System.Net.Http.Json;
using MassTransit;
using Marketplace.LocalInfrastructure;
using Marketplace.Contracts.Orders;
using Marketplace.Notifications;
using Marketplace.Notifications.Deliveries;
using Marketplace.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests;

/// <summary>Two replicas of Notifications on one database and one queue, sending through one WhatsApp emulator.</summary>
public sealed class NotificationReplicas : IAsyncLifetime
{
    public ServiceHost<Marketplace.Notifications.Program> First { get; private set; } = null!;

    public ServiceHost<Marketplace.Notifications.Program> Second { get; private set; } = null!;

    public ServiceHost<Marketplace.WhatsAppEmulator.Program> WhatsApp { get; private set; } = null!;

    public HttpClient Emulator { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var scope = await TestScope.CreateAsync();
        var (firstPort, secondPort, whatsAppPort) = (FreePorts.Next(), FreePorts.Next(), FreePorts.Next());
        var emulator = new Dictionary<string, string?>
        {
            ["WhatsAppEmulator:AccessToken"] = "test-token",
            ["WhatsAppEmulator:PhoneNumberId"] = "100000000000009",
            ["WhatsAppEmulator:AppSecret"] = NotificationsHost.AppSecret,
            // Statuses come back to one replica; both read the same rows.
            ["WhatsAppEmulator:WebhookUrl"] = $"http://127.0.0.1:{firstPort}/api/notifications/whatsapp/webhook",
            ["WhatsAppEmulator:StatusDelay"] = "00:00:00.050",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        EmulatorTemplates.AddTo(emulator);
        WhatsApp = new ServiceHost<Marketplace.WhatsAppEmulator.Program>(emulator);
        WhatsApp.ListenOn(whatsAppPort);
        WhatsApp.StartServer();
        Emulator = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{whatsAppPort}") };

        var settings = ServiceSettings.For(scope, TestTokens.Issuer, "notifications");
        settings["ConnectionStrings:notificationsdb"] = scope.Database("notifications");
        settings["WhatsApp:ApiBase"] = $"http://127.0.0.1:{whatsAppPort}";
        settings["WhatsApp:PhoneNumberId"] = "100000000000009";
        settings["WhatsApp:AccessToken"] = "test-token";
        settings["WhatsApp:AppSecret"] = NotificationsHost.AppSecret;
        settings["WhatsApp:VerifyToken"] = "verify-me";
        settings["Notifications:PollInterval"] = "00:00:00.200";
        // One after the other: the second finds the database the first migrated.
        First = await StartAsync(settings, firstPort);
        Second = await StartAsync(settings, secondPort);
    }

    private static async Task<ServiceHost<Marketplace.Notifications.Program>> StartAsync(Dictionary<string, string?> settings, int port)
    {
        var host = new ServiceHost<Marketplace.Notifications.Program>(settings);
        host.ListenOn(port);
        host.StartServer();
        var client = host.CreateClient();
        await Eventually.TrueAsync(async () => (await client.GetAsync(new Uri("/health/ready", UriKind.Relative))).IsSuccessStatusCode, TimeSpan.FromSeconds(60), "a replica to be ready");
        return host;
    }

    public async Task DisposeAsync()
    {
        Emulator.Dispose();
        await Second.DisposeAsync();
        await First.DisposeAsync();
        await WhatsApp.DisposeAsync();
    }
}

public sealed class NotificationReplicaTests(NotificationReplicas replicas) : IClassFixture<NotificationReplicas>
{
    /// <summary>Which deliveries of an event each replica took from the queue.</summary>
    private sealed class Received : IConsumeObserver
    {
        public ConcurrentDictionary<Guid, int> Times { get; } = new();

        public Task PreConsume<T>(ConsumeContext<T> context)
            where T : class
        {
            if (context.Message is OrderConfirmed && context.MessageId is { } id)
            {
                Times.AddOrUpdate(id, 1, (_, n) => n + 1);
            }

            return Task.CompletedTask;
        }

        public Task PostConsume<T>(ConsumeContext<T> context)
            where T : class => Task.CompletedTask;

        public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception)
            where T : class => Task.CompletedTask;
    }

    [Fact]
    public async Task An_event_reaching_both_replicas_sends_exactly_one_message()
    {
        var (first, second) = (new Received(), new Received());
        using var firstHandle = replicas.First.Services.GetRequiredService<IBus>().ConnectConsumeObserver(first);
        using var secondHandle = replicas.Second.Services.GetRequiredService<IBus>().ConnectConsumeObserver(second);
        var orders = Enumerable.Range(0, 5).Select(_ => new OrderConfirmed(
            Guid.NewGuid(), Guid.NewGuid(), "R3PL1K", PayAtKiosk: true, Shipping: false, new DateOnly(2026, 12, 24),
            new DateTimeOffset(2026, 12, 24, 17, 0, 0, TimeSpan.FromHours(7)), 42_000,
            new ShopperContact("Nur", $"+62816{Random.Shared.Next(1_000_000, 9_999_999):D7}", null, "id"), DateTimeOffset.UtcNow)).ToList();
        var messageIds = orders.ToDictionary(o => o.OrderId, _ => Guid.NewGuid());
        var bus = replicas.First.Services.GetRequiredService<IBus>();

        // The broker hands copies to the queue's two consumers in turn (five events: the next round lands the other way);
        // copies are sent until some event has been taken by both replicas.
        for (var round = 0; round < 10 && !first.Times.Keys.Intersect(second.Times.Keys).Any(); round++)
        {
            foreach (var order in orders)
            {
                await bus.Publish(order, context => context.MessageId = messageIds[order.OrderId]);
            }

            await Eventually.TrueAsync(() => Task.FromResult(first.Times.Values.Sum() + second.Times.Values.Sum() >= (round + 1) * orders.Count), because: "the copies to be taken");
        }

        Assert.NotEmpty(first.Times.Keys.Intersect(second.Times.Keys));
        foreach (var order in orders)
        {
            var number = order.Shopper.WhatsApp;
            var rows = await Eventually.GetAsync(
                () => NotificationsForAsync(order.OrderId), n => n is [{ Status: NotificationStatus.Delivered }], because: "its one message to be delivered");
            Assert.Equal(1, rows[0].Attempts);
            var sent = await replicas.Emulator.GetFromJsonAsync<System.Text.Json.JsonElement>($"/_emulator/messages?to={number.TrimStart('+')}");
            Assert.Equal(1, sent.GetArrayLength());
        }
    }

    private async Task<List<Notification>> NotificationsForAsync(Guid orderId)
    {
        await using var scope = replicas.Second.CreateScope();
        var recipient = $"order:{orderId}";
        return await scope.ServiceProvider.GetRequiredService<NotificationsDbContext>().Notifications.AsNoTracking().Where(n => n.Recipient == recipient).ToListAsync();
    }
}
