using System.Collections.Concurrent;
using System.Net.Http.Json;
using MassTransit;
using Marketplace.Contracts.Gateway;
using Marketplace.Contracts.Orders;
using Marketplace.Notifications;
using Marketplace.Notifications.Deliveries;
using Marketplace.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Marketplace.IntegrationTests;

/// <summary>Every line the service logs, at every level down to Debug, kept for the test to read.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    public string All => string.Join('\n', Lines);

    private sealed class Logger(CapturedLogs logs, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
        {
            // Scopes travel with each line in most sinks: they count as logged.
            logs.Lines.Enqueue($"{category} scope: {state}");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            ArgumentNullException.ThrowIfNull(formatter);
            logs.Lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {state} {exception}");
        }
    }
}

/// <summary>The host: Notifications logging everything to <see cref="CapturedLogs"/>, with the SMTP server and the WhatsApp emulator.</summary>
public sealed class LoggedNotificationsHost : IAsyncLifetime
{
    public CapturedLogs Logs { get; } = new();

    public ServiceHost<Marketplace.Notifications.Program> Notifications { get; private set; } = null!;

    public ServiceHost<Marketplace.WhatsAppEmulator.Program> WhatsApp { get; private set; } = null!;

    public HttpClient Emulator { get; private set; } = null!;

    public TestMail Mail { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Mail = await TestInfrastructure.GetSharedMailAsync();
        (Notifications, WhatsApp, Emulator) = await NotificationsHost.StartAsync(
            settings =>
            {
                settings["Notifications:RetryDelays:0"] = "00:00:00.200";
                settings["Notifications:RetryDelays:1"] = "00:00:00.200";
                settings["Email:Host"] = Mail.Host;
                settings["Email:Port"] = Mail.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
                settings["Email:Security"] = "None";
                settings["Email:FromAddress"] = "toko@pantaibinor.test";
                settings["Logging:LogLevel:Default"] = "Debug";
                settings["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Debug";
            },
            services => services.AddSingleton<ILoggerProvider>(Logs));
    }

    public async Task DisposeAsync()
    {
        Emulator.Dispose();
        await Notifications.DisposeAsync();
        await WhatsApp.DisposeAsync();
    }
}

public sealed class NotificationLogPrivacyTests(LoggedNotificationsHost host) : IClassFixture<LoggedNotificationsHost>
{
    [Fact]
    public async Task Sending_failing_and_retrying_log_no_number_no_address_and_no_words_of_the_message()
    {
        var scope = await TestScope.CreateAsync();
        var number = $"+62817{Random.Shared.Next(1_000_000, 9_999_999):D7}";
        var address = scope.EmailAddress("privasi");
        var bus = host.Notifications.Services.GetRequiredService<IBus>();
        // WhatsApp fails once: the failure and the retry are logged too.
        (await host.Emulator.PostAsJsonAsync("/_emulator/fail-next", new { count = 1 })).EnsureSuccessStatusCode();
        var order = new OrderConfirmed(
            Guid.NewGuid(), Guid.NewGuid(), "PR1V4T", PayAtKiosk: true, Shipping: false, new DateOnly(2026, 12, 24),
            new DateTimeOffset(2026, 12, 24, 17, 0, 0, TimeSpan.FromHours(7)), 77_000, new ShopperContact("Kartika Sulistyowati", number, null, "id"), DateTimeOffset.UtcNow);
        var reset = new PasswordResetRequested(
            Guid.NewGuid(), "Purwaningsih Handayani", address, null, "id", new Uri($"http://toko.test/reset-password?user={Guid.NewGuid()}&token=Zq9%2Fx"),
            DateTimeOffset.UtcNow.AddHours(1), DateTimeOffset.UtcNow);

        await bus.Publish(order);
        await bus.Publish(reset);

        var sent = await Eventually.GetAsync(
            () => host.Emulator.GetFromJsonAsync<System.Text.Json.JsonElement>($"/_emulator/messages?to={number.TrimStart('+')}"), m => m.GetArrayLength() == 1,
            because: "the WhatsApp message, on its second attempt");
        var text = sent[0].GetProperty("text").GetString()!;
        await host.Mail.Inbox.WaitForMessagesToAsync(address);
        await Eventually.TrueAsync(
            async () =>
            {
                await using var services = host.Notifications.CreateScope();
                var rows = await services.ServiceProvider.GetRequiredService<NotificationsDbContext>().Notifications.AsNoTracking()
                    .Where(n => n.Recipient == $"order:{order.OrderId}" || n.Recipient == $"account:{reset.UserId}").ToListAsync();
                return rows.Count == 2 && rows.All(n => n.Status is NotificationStatus.Delivered or NotificationStatus.Accepted) && rows.Any(n => n.Attempts == 2);
            },
            because: "both messages to be sent and recorded");

        var logs = host.Logs.All;
        // The test would prove nothing if the service logged nothing about these messages.
        Assert.Contains("shopper_order_at_kiosk", logs, StringComparison.Ordinal);
        Assert.Contains("account_password_reset", logs, StringComparison.Ordinal);
        foreach (var secret in new[]
        {
            number, number.TrimStart('+'), number[3..], address, "Kartika Sulistyowati", "Purwaningsih Handayani", reset.ResetLink.ToString(), "Zq9",
            text, "pesanan Anda tercatat", "Rp 77.000",
        })
        {
            Assert.DoesNotContain(secret, logs, StringComparison.OrdinalIgnoreCase);
        }
    }
}
