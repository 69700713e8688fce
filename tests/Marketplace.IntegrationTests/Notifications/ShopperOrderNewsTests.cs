using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Contracts.Catalog;
using Marketplace.Contracts.Orders;
using Marketplace.Notifications;
using Marketplace.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests;

/// <summary>
/// The shopper hears that her order is ready at the kiosk (where, when it is open) and that it was shipped (courier,
/// tracking number); the admin's delivery log pages, filters and says why a message failed. Real RabbitMQ, PostgreSQL
/// and the WhatsApp emulator, with a host of their own (the emulator is told to fail here).
/// </summary>
public sealed class ShopperOrderNewsTests(NotificationsHost host) : IClassFixture<NotificationsHost>
{
    private static int _numbers;

    private static string NewNumber() => $"+62813{Interlocked.Increment(ref _numbers) + Random.Shared.Next(1_000_000, 8_000_000):D7}";

    private static OrderConfirmed Confirmed(Guid cooperativeId, string whatsApp, string language = "id", bool shipping = false) => new(
        Guid.NewGuid(), cooperativeId, "R3ADY7", PayAtKiosk: !shipping, shipping, shipping ? null : new DateOnly(2026, 12, 24),
        new DateTimeOffset(2026, 12, 24, 17, 0, 0, TimeSpan.FromHours(7)), 80_000, new ShopperContact("Dewi", whatsApp, null, language), DateTimeOffset.UtcNow);

    [Fact]
    public async Task Ready_for_pickup_tells_where_the_kiosk_is_and_when_it_is_open_once_even_when_delivered_three_times()
    {
        // Written on two lines in the cooperative's profile: WhatsApp would refuse it so.
        var cooperative = await KnownCooperativeAsync("Koperasi Melati", "Kios biru\ndekat  dermaga Pantai Binor",
        [
            .. new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday }
                .Select(d => new OpeningHours(d, new TimeOnly(8, 0), new TimeOnly(16, 0))),
            new OpeningHours(DayOfWeek.Saturday, new TimeOnly(8, 0), new TimeOnly(12, 30)),
        ]);
        var number = NewNumber();
        var order = Confirmed(cooperative, number);
        await host.PublishAsync(order, Guid.NewGuid());
        var ready = new OrderReadyForPickup(order.OrderId, cooperative, order.PickupDate, DateTimeOffset.UtcNow);
        var messageId = Guid.NewGuid();

        for (var i = 0; i < 3; i++)
        {
            await host.PublishAsync(ready, messageId);
        }

        var told = await Eventually.GetAsync(
            () => ReadyMessagesAsync(number), m => m.Count == 1 && m[0].TryGetProperty("status", out var status) && status.GetString() == "delivered", because: "the ready message to be delivered");
        var text = told[0].GetProperty("text").GetString()!;
        Assert.Contains("siap diambil", text, StringComparison.Ordinal);
        Assert.Contains("Kode ambil: R3ADY7", text, StringComparison.Ordinal);
        Assert.Contains("kios Koperasi Melati, Kios biru dekat dermaga Pantai Binor", text, StringComparison.Ordinal);
        Assert.Contains("Jam buka: Senin-Jumat 08.00-16.00, Sabtu 08.00-12.30 WIB", text, StringComparison.Ordinal);
        Assert.Contains($"/orders/{order.OrderId}", text, StringComparison.Ordinal);
        Assert.Single(await host.NotificationsForAsync(order.OrderId), n => n.Template == "shopper_order_ready_for_pickup");
    }

    [Fact]
    public async Task A_kiosk_whose_place_and_hours_are_not_known_sends_her_to_her_order_page_in_her_language()
    {
        var number = NewNumber();
        var order = Confirmed(Guid.NewGuid(), number, "en");
        await host.PublishAsync(order, Guid.NewGuid());

        await host.PublishAsync(new OrderReadyForPickup(order.OrderId, order.CooperativeId, order.PickupDate, DateTimeOffset.UtcNow), Guid.NewGuid());

        var text = (await Eventually.GetAsync(() => ReadyMessagesAsync(number), m => m.Count == 1, because: "the ready message"))[0].GetProperty("text").GetString()!;
        Assert.Contains("your order is ready for pickup", text, StringComparison.Ordinal);
        Assert.Contains("the kiosk of the cooperative, ask for the way from your order page", text, StringComparison.Ordinal);
        Assert.Contains("Opening hours: ask from your order page", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_shipped_order_tells_its_courier_tracking_number_and_order_page_once()
    {
        var number = NewNumber();
        var order = Confirmed(Guid.NewGuid(), number, "en", shipping: true);
        await host.PublishAsync(order, Guid.NewGuid());
        var shipped = new OrderShipped(order.OrderId, order.CooperativeId, "J&T Express", "JT0012345678", DateTimeOffset.UtcNow);
        var messageId = Guid.NewGuid();

        await host.PublishAsync(shipped, messageId);
        await host.PublishAsync(shipped, messageId);

        var messages = await Eventually.GetAsync(
            () => host.MessagesToAsync(number),
            m => m.EnumerateArray().Any(x => x.GetProperty("template_name").GetString() == "shopper_order_shipped" && x.TryGetProperty("status", out var status) && status.GetString() == "delivered"),
            because: "the shipped message to be delivered");
        var told = Assert.Single(messages.EnumerateArray(), m => m.GetProperty("template_name").GetString() == "shopper_order_shipped");
        Assert.Equal("en", told.GetProperty("language").GetString());
        Assert.Equal(
            $"Hello Dewi, order R3ADY7 is on its way with J&T Express, tracking number JT0012345678. Open http://localhost:8080/orders/{order.OrderId} for the order's status.",
            told.GetProperty("text").GetString());
    }

    [Fact]
    public async Task The_delivery_log_pages_newest_first_and_the_failed_ones_say_why_without_the_providers_words()
    {
        var cooperative = Guid.NewGuid();
        var admin = host.Notifications.CreateClient().WithToken(TestTokens.CooperativeAdmin(cooperative));
        // The number is not on WhatsApp: taken, then reported failed. Then one WhatsApp refuses as a recipient.
        (await host.Emulator.PostAsJsonAsync("/_emulator/fail-next", new { count = 1, mode = "status", code = 131026 })).EnsureSuccessStatusCode();
        var unreachable = Confirmed(cooperative, NewNumber());
        await host.PublishAsync(unreachable, Guid.NewGuid());
        await Eventually.TrueAsync(async () => (await host.NotificationsForAsync(unreachable.OrderId)) is [{ Status: Marketplace.Notifications.Deliveries.NotificationStatus.Failed }],
            because: "WhatsApp to report the message failed");
        var malformed = Confirmed(cooperative, "+12345");
        await host.PublishAsync(malformed, Guid.NewGuid());
        var orders = Enumerable.Range(0, 50).Select(_ => Confirmed(cooperative, NewNumber())).ToList();
        foreach (var order in orders)
        {
            await host.PublishAsync(order, Guid.NewGuid());
        }

        await Eventually.TrueAsync(async () => await CountAsync(cooperative) == 52, TimeSpan.FromSeconds(60), "every message to be recorded");

        var first = await admin.GetFromJsonAsync<JsonElement>($"/api/notifications/cooperatives/{cooperative}/deliveries");
        var older = first.GetProperty("older").GetString()!;
        var second = await admin.GetFromJsonAsync<JsonElement>($"/api/notifications/cooperatives/{cooperative}/deliveries?before={Uri.EscapeDataString(older)}");
        var failed = await Eventually.GetAsync(
            () => admin.GetFromJsonAsync<JsonElement>($"/api/notifications/cooperatives/{cooperative}/deliveries?status=failed"),
            f => f.GetProperty("items").GetArrayLength() == 2,
            because: "WhatsApp to refuse the malformed number");
        var nonsense = await admin.GetAsync(new Uri($"/api/notifications/cooperatives/{cooperative}/deliveries?before=yesterday", UriKind.Relative));
        var stranger = await host.Notifications.CreateClient().WithToken(TestTokens.CooperativeAdmin(Guid.NewGuid()))
            .GetAsync(new Uri($"/api/notifications/cooperatives/{cooperative}/deliveries", UriKind.Relative));

        var all = first.GetProperty("items").EnumerateArray().Concat(second.GetProperty("items").EnumerateArray()).ToList();
        Assert.Equal(50, first.GetProperty("items").GetArrayLength());
        Assert.Equal(2, second.GetProperty("items").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, second.GetProperty("older").ValueKind);
        Assert.Equal(52, all.Select(d => d.GetProperty("id").GetGuid()).Distinct().Count());
        var created = all.Select(d => d.GetProperty("createdAt").GetDateTimeOffset()).ToList();
        Assert.Equal(created.OrderByDescending(c => c), created);
        Assert.Equal(unreachable.OrderId, Guid.Parse(all[^1].GetProperty("recipient").GetString()!["order:".Length..]));
        var reasons = failed.GetProperty("items").EnumerateArray().ToDictionary(d => d.GetProperty("recipient").GetString()!, d => d.GetProperty("reason").GetString());
        Assert.Equal("not_on_whatsapp", reasons[$"order:{unreachable.OrderId}"]);
        Assert.Equal("invalid_number", reasons[$"order:{malformed.OrderId}"]);
        Assert.Equal(HttpStatusCode.BadRequest, nonsense.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, stranger.StatusCode);
    }

    private async Task<List<JsonElement>> ReadyMessagesAsync(string number) =>
        (await host.MessagesToAsync(number)).EnumerateArray().Where(m => m.GetProperty("template_name").GetString() == "shopper_order_ready_for_pickup").ToList();

    private async Task<int> CountAsync(Guid cooperative)
    {
        await using var scope = host.Notifications.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<NotificationsDbContext>().Notifications.CountAsync(n => n.CooperativeId == cooperative);
    }

    /// <summary>A cooperative as Catalog announces it, once Notifications has taken it in.</summary>
    private async Task<Guid> KnownCooperativeAsync(string name, string kioskLocation, IReadOnlyList<OpeningHours> hours)
    {
        var cooperative = Guid.NewGuid();
        await host.PublishAsync(new CooperativeUpdated(cooperative, "koperasi-" + cooperative.ToString("N")[..8], name, true,
            new FeePolicy(10m, new Dictionary<string, decimal>()), "Asia/Jakarta", hours, 3, DateTimeOffset.UtcNow, kioskLocation), Guid.NewGuid());
        await Eventually.TrueAsync(
            async () =>
            {
                await using var scope = host.Notifications.CreateScope();
                return await scope.ServiceProvider.GetRequiredService<NotificationsDbContext>().Cooperatives
                    .AnyAsync(c => c.CooperativeId == cooperative && c.Revision == 3);
            },
            because: "Notifications to learn the cooperative's kiosk");
        return cooperative;
    }
}
