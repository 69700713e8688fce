using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Catalog.Data;
using Marketplace.Orders.Checkout;
using Marketplace.Orders.OrderAggregate;
using Marketplace.Orders;
using Marketplace.ServiceDefaults.Messaging;
using Marketplace.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests;

/// <summary>
/// Two replicas of Catalog and of Orders on one PostgreSQL and one RabbitMQ, behind one Gateway: a burst of
/// checkouts is shared between them and every message, outbox row and order is handled exactly once.
/// </summary>
public sealed class ScaleOutTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>Requests the Gateway answered with a 5xx or that failed on the way (and were retried).</summary>
    private int _failedRequests;

    private readonly Shop _shop = new()
    {
        Replicas = 2,
        WithGateway = true,

        // A stopping replica drains for 3 s, and the Gateway checks its destinations every second: long enough
        // for the Gateway to stop choosing it before it stops serving.
        ServiceOverrides = { ["Shutdown:DrainSeconds"] = "3" },
        GatewayOverrides =
        {
            ["ReverseProxy:Clusters:catalog:HealthCheck:Active:Interval"] = "00:00:01",
            ["ReverseProxy:Clusters:orders:HealthCheck:Active:Interval"] = "00:00:01",
        },
    };

    public Task InitializeAsync() => _shop.InitializeAsync();

    public Task DisposeAsync() => _shop.DisposeAsync();

    [Fact]
    public async Task A_burst_of_checkouts_is_shared_by_two_replicas_and_handled_exactly_once()
    {
        const int Shoppers = 120;
        var stall = await _shop.OpenStallAsync("dua-replika", stock: 1_000, price: 20_000);
        using var gate = new SemaphoreSlim(16);
        var orderIds = await Task.WhenAll(Enumerable.Range(0, Shoppers).Select(async _ =>
        {
            await gate.WaitAsync();
            try
            {
                return await BuyAsync(_shop.NewShopper(), stall);
            }
            finally
            {
                gate.Release();
            }
        }));

        Assert.Equal(Shoppers, orderIds.Distinct().Count());
        await Eventually.TrueAsync(async () => await _shop.CountOrdersAsync(OrderStatus.Paid) == Shoppers, TimeSpan.FromMinutes(3), "every order to be paid");
        await Eventually.TrueAsync(async () => await Shop.StockAsync(stall) == (1_000 - Shoppers, 0), TimeSpan.FromMinutes(2), "every sold unit to leave the shelf once");
        await Eventually.TrueAsync(async () => await _shop.UndispatchedAsync() == 0, TimeSpan.FromMinutes(1), "every outbox message to be dispatched");

        await using (var scope = _shop.Orders.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OrdersDbContext>();
            Assert.Equal(Shoppers, await db.Orders.CountAsync());
            Assert.Equal(Shoppers, await db.Set<InboxMessage>().CountAsync(m => m.Consumer == "StockReservedConsumer"));
            Assert.Equal(Shoppers, await db.Set<OutboxMessage>().CountAsync(m => m.MessageType.StartsWith("Marketplace.Contracts.Orders.OrderPaid")));
        }

        await using (var scope = _shop.Catalog.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
            Assert.Equal(Shoppers, await db.Set<OutboxMessage>().CountAsync(m => m.MessageType.StartsWith("Marketplace.Contracts.Catalog.StockReserved")));
        }

        // Both replicas of each service did part of the work.
        Assert.True(_shop.Handled.GetValueOrDefault("orders-1") > 0 && _shop.Handled.GetValueOrDefault("orders-2") > 0, Describe());
        Assert.True(_shop.Handled.GetValueOrDefault("catalog-1") > 0 && _shop.Handled.GetValueOrDefault("catalog-2") > 0, Describe());
        Assert.True(_shop.Handled.GetValueOrDefault("orders-1-http") > 0 && _shop.Handled.GetValueOrDefault("orders-2-http") > 0, Describe());
    }

    [Fact]
    public async Task Stopping_one_replica_of_each_service_mid_burst_loses_nothing()
    {
        const int Shoppers = 160;
        var stall = await _shop.OpenStallAsync("replika-berhenti", stock: 1_000, price: 20_000);
        using var gate = new SemaphoreSlim(8);

        // Half of the shoppers start at once; the other half come when the stop begins, so the burst is surely still
        // going while the replicas stop, however fast this machine places the first half.
        var stopping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var burst = Task.WhenAll(Enumerable.Range(0, Shoppers).Select(async shopper =>
        {
            if (shopper >= Shoppers / 2)
            {
                await stopping.Task;
            }

            await gate.WaitAsync();
            try
            {
                return await BuyAsync(_shop.NewShopper(), stall);
            }
            finally
            {
                gate.Release();
            }
        }));

        // Mid-burst, the second replica of each service is told to stop, as Kubernetes does in a rolling update.
        await Eventually.TrueAsync(
            () => Task.FromResult(_shop.Handled.GetValueOrDefault("orders-2") > 5 && _shop.Handled.GetValueOrDefault("catalog-2") > 5),
            TimeSpan.FromMinutes(1),
            "the second replicas to be busy");
        var stopped = Task.WhenAll(_shop.OrdersReplicas[1].DisposeAsync().AsTask(), _shop.CatalogReplicas[1].DisposeAsync().AsTask());
        stopping.SetResult();
        await stopped;
        var servedAtStop = (First: _shop.Handled.GetValueOrDefault("orders-1-http"), Second: _shop.Handled.GetValueOrDefault("orders-2-http"));
        var placedAtStop = await _shop.CountOrdersAsync();
        var orderIds = await burst;

        // The stop came in the middle: orders were still being placed after it, by the first replica alone.
        Assert.True(placedAtStop < Shoppers, $"only {Shoppers - placedAtStop} orders were placed after the stop");
        Assert.True(_shop.Handled.GetValueOrDefault("orders-1-http") > servedAtStop.First, Describe());
        Assert.Equal(servedAtStop.Second, _shop.Handled.GetValueOrDefault("orders-2-http"));

        Assert.Equal(Shoppers, orderIds.Distinct().Count());
        await Eventually.TrueAsync(async () => await _shop.CountOrdersAsync(OrderStatus.Paid) == Shoppers, TimeSpan.FromMinutes(3), "every order to be paid");
        await Eventually.TrueAsync(async () => await Shop.StockAsync(stall) == (1_000 - Shoppers, 0), TimeSpan.FromMinutes(2), "every sold unit to leave the shelf once");
        await Eventually.TrueAsync(async () => await _shop.UndispatchedAsync() == 0, TimeSpan.FromMinutes(1), "every outbox message to be dispatched");
        await using var scope = _shop.Orders.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<OrdersDbContext>();
        Assert.Equal(Shoppers, await db.Orders.CountAsync());
        Assert.Equal(Shoppers, await db.Set<OutboxMessage>().CountAsync(m => m.MessageType.StartsWith("Marketplace.Contracts.Orders.OrderPaid")));

        // Reported, not asserted: how many requests were refused while the replicas drained depends on timing.
        output.WriteLine($"Requests failed and retried while the replicas stopped: {_failedRequests}; work done: {Describe()}");
    }

    /// <summary>
    /// One shopper from basket to paid through the Gateway. A request that fails on the way is retried, and a checkout
    /// whose answer was lost is found among her orders rather than placed twice.
    /// </summary>
    private async Task<Guid> BuyAsync(HttpClient shopper, Stall stall)
    {
        await RetryAsync(() => shopper.PutAsJsonAsync($"/api/orders/baskets/{stall.CooperativeId}/lines/{stall.VariantId}", new { productId = stall.ProductId, quantity = 1 }));
        Guid orderId = default;
        for (var attempt = 0; orderId == default; attempt++)
        {
            var mine = await RetryAsync(() => shopper.GetAsync(new Uri("/api/orders/orders/mine", UriKind.Relative)));
            var existing = (await mine.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().FirstOrDefault();
            if (existing.ValueKind == JsonValueKind.Object)
            {
                orderId = existing.GetProperty("id").GetGuid();
                break;
            }

            var pickup = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(7)).AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            try
            {
                var placed = await shopper.PostAsJsonAsync($"/api/orders/baskets/{stall.CooperativeId}/checkout",
                    new { name = "Turis", whatsApp = Shop.RandomWhatsApp(), fulfilment = "pickup", pickupDate = pickup, payment = "card" });
                if (placed.StatusCode == HttpStatusCode.Accepted)
                {
                    orderId = (await placed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
                }
                else if ((int)placed.StatusCode >= 500)
                {
                    Interlocked.Increment(ref _failedRequests);
                }
            }
            catch (HttpRequestException) when (attempt < 10)
            {
                Interlocked.Increment(ref _failedRequests);
            }
        }

        var awaiting = await Eventually.GetAsync(
            async () => await (await RetryAsync(() => shopper.GetAsync(new Uri($"/api/orders/orders/{orderId}", UriKind.Relative)))).Content.ReadFromJsonAsync<JsonElement>(),
            o => o.GetProperty("status").GetString() == "awaitingPayment",
            TimeSpan.FromMinutes(2),
            because: "the order's Checkout Session");
        Assert.Equal("Paid", await _shop.PayAsync(awaiting.GetProperty("checkoutUrl").GetString()!));
        return orderId;
    }

    private async Task<HttpResponseMessage> RetryAsync(Func<Task<HttpResponseMessage>> send)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var response = await send();
                if ((int)response.StatusCode < 500 || attempt >= 10)
                {
                    return response;
                }

                Interlocked.Increment(ref _failedRequests);
            }
            catch (HttpRequestException) when (attempt < 10)
            {
                Interlocked.Increment(ref _failedRequests);
            }

            await Task.Delay(200);
        }
    }

    private string Describe() => string.Join(", ", _shop.Handled.OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => $"{h.Key}: {h.Value}"));
}
