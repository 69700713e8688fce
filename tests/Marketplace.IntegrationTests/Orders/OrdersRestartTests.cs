using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Orders;
using Marketplace.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests;

/// <summary>Orders is down when Stripe reports the payment: Stripe keeps retrying, and the order ends paid exactly once.</summary>
public sealed class OrdersRestartTests : IAsyncLifetime
{
    private readonly Shop _shop = new();

    public Task InitializeAsync()
    {
        // Stripe retries for days; here over about half a minute, long enough to outlast the restart.
        var delays = new[] { "00:00:01", "00:00:02", "00:00:03", "00:00:05", "00:00:08", "00:00:13" };
        for (var i = 0; i < delays.Length; i++)
        {
            _shop.EmulatorOverrides[$"Emulator:WebhookRetryDelays:{i}"] = delays[i];
        }

        _shop.EmulatorOverrides["Emulator:DuplicateWebhooks"] = "true";
        return _shop.InitializeAsync();
    }

    public Task DisposeAsync() => _shop.DisposeAsync();

    [Fact]
    public async Task Orders_stopped_between_payment_and_webhook_ends_paid_exactly_once_after_restart()
    {
        var stall = await _shop.OpenStallAsync("mati-lampu", stock: 4);
        var shopper = _shop.NewShopper();
        var orderId = (await Shop.CheckOutAsync(shopper, stall, quantity: 2)).GetProperty("id").GetGuid();
        var awaiting = await Shop.OrderWhenAsync(shopper, orderId, "awaitingPayment");

        await _shop.RestartOrdersAsync(async () =>
        {
            Assert.Equal("Paid", await _shop.PayAsync(awaiting.GetProperty("checkoutUrl").GetString()!));
            // Let the first deliveries fail against the stopped service.
            await Task.Delay(TimeSpan.FromSeconds(2));
        });

        var paid = await Shop.OrderWhenAsync(shopper, orderId, "paid");
        await Marketplace.Testing.Eventually.TrueAsync(async () => await Shop.StockAsync(stall) == (2, 0), because: "Catalog to take the sold stock off the shelf");
        var events = await _shop.StripeClient().GetFromJsonAsync<JsonElement>("/_emulator/events");
        Assert.Contains(events.EnumerateArray(), e => e.GetProperty("type").GetString() == "checkout.session.completed" && e.GetProperty("attempts").GetInt32() > 1);
        Assert.Equal(JsonValueKind.String, paid.GetProperty("paidAt").ValueKind);
        await using var scope = _shop.Orders.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<OrdersDbContext>();
        var id = orderId.ToString();
        Assert.Equal(1, await db.Set<OutboxMessage>().CountAsync(m => m.MessageType.StartsWith("Marketplace.Contracts.Orders.OrderPaid") && m.OrderingKey == id));
    }
}
