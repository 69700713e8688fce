using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Orders;
using Marketplace.Orders.Settlement.Data;
using Marketplace.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests;

/// <summary>
/// A shop whose Stripe webhooks all fail (they go to an address where nothing listens), as when Orders was down for
/// every attempt. Helpers shared by the tests that prove Orders asks Stripe itself.
/// </summary>
internal static class LostWebhooks
{
    /// <summary>Nothing listens here: every delivery attempt fails with a refused connection.</summary>
    public const string DeadUrl = "http://127.0.0.1:9/webhooks/stripe";

    public static Shop NewShop(bool sweepOften)
    {
        var shop = new Shop();
        shop.EmulatorOverrides["Emulator:WebhookUrl"] = DeadUrl;
        shop.ServiceOverrides["Stripe:PaymentSweepInterval"] = sweepOften ? "00:00:01" : "01:00:00";
        shop.ServiceOverrides["Stripe:PaymentSweepGrace"] = "00:00:00";
        return shop;
    }

    public static async Task<JsonElement[]> EventsAsync(Shop shop) =>
        [.. (await shop.StripeClient().GetFromJsonAsync<JsonElement>("/_emulator/events")).EnumerateArray()];

    /// <summary>The webhooks Stripe gave up on reach Orders after all (its endpoint fixed, each event resent), and change nothing.</summary>
    public static async Task DeliverLateAsync(Shop shop)
    {
        var stripe = shop.StripeClient();
        (await stripe.PostAsJsonAsync("/_emulator/webhooks", new { url = new Uri(shop.OrdersAddress, Marketplace.Orders.Lifecycle.StripeWebhook.Path).ToString() })).EnsureSuccessStatusCode();
        foreach (var stripeEvent in await EventsAsync(shop))
        {
            (await stripe.PostAsync(new Uri($"/_emulator/events/{stripeEvent.GetProperty("id").GetString()}/resend", UriKind.Relative), null)).EnsureSuccessStatusCode();
        }

        await Eventually.TrueAsync(
            async () => (await EventsAsync(shop)).All(e => e.GetProperty("status").GetString() == "delivered"),
            TimeSpan.FromSeconds(30),
            "every resent webhook to be delivered");
    }

    /// <summary>Pays the order at Stripe and waits until every webhook of it has been tried and failed (Stripe gives up).</summary>
    public static async Task PayWhileWebhooksFailAsync(Shop shop, JsonElement awaiting)
    {
        Assert.Equal("Paid", await shop.PayAsync(awaiting.GetProperty("checkoutUrl").GetString()!));
        // One attempt and the Shop's five retries, each refused.
        await Eventually.TrueAsync(
            async () => (await EventsAsync(shop)).Where(e => e.GetProperty("type").GetString() == "checkout.session.completed")
                .Any(e => e.GetProperty("attempts").GetInt32() == 6),
            TimeSpan.FromSeconds(30),
            "Stripe to give up on the webhook");
        Assert.All(await EventsAsync(shop), e => Assert.StartsWith("failed", e.GetProperty("status").GetString(), StringComparison.Ordinal));
    }

    /// <summary>Exactly one OrderPaid was owed and exactly one sale is in the books, with the order's total received.</summary>
    public static async Task AssertPaidOnceAsync(Shop shop, Guid orderId, long total)
    {
        Assert.Equal(1, await shop.OutboxCountAsync("Marketplace.Contracts.Orders.OrderPaid", orderId));
        var source = $"sale:{orderId}";
        await Eventually.TrueAsync(async () =>
        {
            await using var scope = shop.Orders.CreateScope();
            return await scope.ServiceProvider.GetRequiredService<SettlementDbContext>().JournalEntries.AnyAsync(e => e.Source == source);
        }, TimeSpan.FromSeconds(30), "the sale to be in the books");
        await using var books = shop.Orders.CreateScope();
        var settlement = books.ServiceProvider.GetRequiredService<SettlementDbContext>();
        Assert.Equal(1, await settlement.JournalEntries.CountAsync(e => e.Source.EndsWith(orderId.ToString())));
        var entry = await settlement.JournalEntries.AsNoTracking().SingleAsync(e => e.Source == source);
        Assert.Equal(total, await settlement.JournalLines.Where(l => l.EntryId == entry.Id && l.Account == "received:card" && l.AmountRupiah > 0).SumAsync(l => l.AmountRupiah));
    }
}

/// <summary>The shopper is back from Stripe's page and every webhook failed: her order page asks Stripe, and the order is paid.</summary>
public sealed class ReturnPageCheckTests : IAsyncLifetime
{
    private readonly Shop _shop = LostWebhooks.NewShop(sweepOften: false);

    public Task InitializeAsync() => _shop.InitializeAsync();

    public Task DisposeAsync() => _shop.DisposeAsync();

    [Fact]
    public async Task Coming_back_from_Stripe_marks_the_order_paid_when_every_webhook_failed_and_the_late_webhook_changes_nothing()
    {
        var stall = await _shop.OpenStallAsync("kembali-dari-stripe", stock: 5, price: 25_000);
        var shopper = _shop.NewShopper();
        var orderId = (await Shop.CheckOutAsync(shopper, stall, quantity: 2)).GetProperty("id").GetGuid();
        var awaiting = await Shop.OrderWhenAsync(shopper, orderId, "awaitingPayment");

        await LostWebhooks.PayWhileWebhooksFailAsync(_shop, awaiting);
        // Reading the order asks nobody: without the check it would wait for a webhook that is not coming.
        Assert.Equal("awaitingPayment", (await shopper.GetFromJsonAsync<JsonElement>($"/api/orders/orders/{orderId}")).GetProperty("status").GetString());

        // Another shopper cannot make Orders ask about someone else's order.
        var stranger = await _shop.NewShopper().PostAsync(new Uri($"/api/orders/orders/{orderId}/payment-check", UriKind.Relative), null);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, stranger.StatusCode);

        var checkedOrder = await (await shopper.PostAsync(new Uri($"/api/orders/orders/{orderId}/payment-check", UriKind.Relative), null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("paid", checkedOrder.GetProperty("status").GetString());
        var paidAt = checkedOrder.GetProperty("paidAt").GetDateTimeOffset();
        await Eventually.TrueAsync(async () => await Shop.StockAsync(stall) == (3, 0), because: "Catalog to take the sold stock off the shelf");

        await LostWebhooks.DeliverLateAsync(_shop);
        var after = await shopper.GetFromJsonAsync<JsonElement>($"/api/orders/orders/{orderId}");
        Assert.Equal(("paid", paidAt), (after.GetProperty("status").GetString(), after.GetProperty("paidAt").GetDateTimeOffset()));
        await LostWebhooks.AssertPaidOnceAsync(_shop, orderId, 50_000);
        Assert.Equal((3, 0), await Shop.StockAsync(stall));
    }
}

/// <summary>Nobody comes back to the order page and every webhook failed: the sweep of orders awaiting payment asks Stripe.</summary>
public sealed class AwaitingPaymentSweepTests : IAsyncLifetime
{
    private readonly Shop _shop = LostWebhooks.NewShop(sweepOften: true);

    public Task InitializeAsync() => _shop.InitializeAsync();

    public Task DisposeAsync() => _shop.DisposeAsync();

    [Fact]
    public async Task The_sweep_marks_a_paid_order_paid_when_every_webhook_failed_and_the_late_webhook_changes_nothing()
    {
        var stall = await _shop.OpenStallAsync("sapu-bayar", stock: 5, price: 30_000);
        var shopper = _shop.NewShopper();
        var orderId = (await Shop.CheckOutAsync(shopper, stall, quantity: 1)).GetProperty("id").GetGuid();
        var awaiting = await Shop.OrderWhenAsync(shopper, orderId, "awaitingPayment");
        var unpaidId = (await Shop.CheckOutAsync(_shop.NewShopper(), stall, quantity: 1)).GetProperty("id").GetGuid();

        Assert.Equal("Paid", await _shop.PayAsync(awaiting.GetProperty("checkoutUrl").GetString()!));
        var paid = await Shop.OrderWhenAsync(shopper, orderId, "paid");

        // No webhook reached Orders: the sweep asked Stripe. The order nobody paid is left waiting.
        Assert.DoesNotContain(await LostWebhooks.EventsAsync(_shop), e => e.GetProperty("status").GetString() == "delivered");
        await using (var scope = _shop.Orders.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OrdersDbContext>();
            Assert.Equal(Marketplace.Orders.OrderAggregate.OrderStatus.AwaitingPayment, (await db.Orders.AsNoTracking().SingleAsync(o => o.Id == unpaidId)).Status);
        }

        await LostWebhooks.DeliverLateAsync(_shop);
        var after = await shopper.GetFromJsonAsync<JsonElement>($"/api/orders/orders/{orderId}");
        Assert.Equal(paid.GetProperty("paidAt").GetDateTimeOffset(), after.GetProperty("paidAt").GetDateTimeOffset());
        await LostWebhooks.AssertPaidOnceAsync(_shop, orderId, 30_000);
    }
}

/// <summary>
/// Orders was down while the shopper paid and Stripe's attempts all failed: the replica that comes back asks Stripe as it
/// starts, without waiting for a webhook retry hours later or for the next round of the sweep (an hour here).
/// </summary>
public sealed class PaidWhileOrdersWasDownTests : IAsyncLifetime
{
    private readonly Shop _shop = LostWebhooks.NewShop(sweepOften: false);

    public Task InitializeAsync() => _shop.InitializeAsync();

    public Task DisposeAsync() => _shop.DisposeAsync();

    [Fact]
    public async Task An_order_paid_while_Orders_was_down_is_paid_as_soon_as_Orders_is_back()
    {
        var stall = await _shop.OpenStallAsync("padam-listrik", stock: 3, price: 20_000);
        var shopper = _shop.NewShopper();
        var orderId = (await Shop.CheckOutAsync(shopper, stall, quantity: 1)).GetProperty("id").GetGuid();
        var awaiting = await Shop.OrderWhenAsync(shopper, orderId, "awaitingPayment");

        await _shop.RestartOrdersAsync(() => LostWebhooks.PayWhileWebhooksFailAsync(_shop, awaiting));

        await Shop.OrderWhenAsync(shopper, orderId, "paid");
        Assert.DoesNotContain(await LostWebhooks.EventsAsync(_shop), e => e.GetProperty("status").GetString() == "delivered");
        await LostWebhooks.AssertPaidOnceAsync(_shop, orderId, 20_000);
    }
}
