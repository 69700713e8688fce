using Marketplace.Catalog.Data;
using Marketplace.LocalInfrastructure;
using Marketplace.Orders.Checkout;
using Marketplace.Orders.OrderAggregate;
using Marketplace.Orders;
using Marketplace.ServiceDefaults.Messaging;
using Marketplace.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests;

/// <summary>
/// The broker restarts in the middle of a burst of checkouts, as a RabbitMQ node does in a rolling upgrade: messages
/// written meanwhile wait in the outboxes (a row counts as sent only once the broker confirmed it), the services
/// reconnect, and every order still ends paid exactly once.
/// </summary>
public sealed class BrokerRestartTests : IAsyncLifetime
{
    private RabbitMqServer _rabbit = null!;
    private Shop _shop = null!;

    public async Task InitializeAsync()
    {
        _rabbit = await RabbitMqServer.StartAsync(TestInfrastructure.NewRunFolder("rabbitmq"), deleteOnDispose: true);
        _shop = new Shop { OwnBroker = _rabbit };
        await _shop.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _shop.DisposeAsync();
        await _rabbit.DisposeAsync();
    }

    [Fact]
    public async Task A_broker_restart_mid_burst_loses_no_message_and_pays_every_order_once()
    {
        const int Shoppers = 60;
        var stall = await _shop.OpenStallAsync("broker-restart", stock: 500, price: 20_000);
        var placed = new List<Guid>();
        using var gate = new SemaphoreSlim(8);
        var burst = Task.WhenAll(Enumerable.Range(0, Shoppers).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                var shopper = _shop.NewShopper();
                var order = await Shop.CheckOutAsync(shopper, stall, quantity: 1);
                var id = order.GetProperty("id").GetGuid();
                lock (placed)
                {
                    placed.Add(id);
                }

                return (shopper, id);
            }
            finally
            {
                gate.Release();
            }
        }));

        // The broker goes down while checkouts are being placed and their reservations are on their way.
        await Eventually.TrueAsync(() => Task.FromResult(placed.Count >= 15), TimeSpan.FromMinutes(1), "the burst to be under way");
        await _rabbit.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(3));
        await _rabbit.RestartAsync();
        var orders = await burst;

        foreach (var (shopper, id) in orders)
        {
            var awaiting = await Shop.OrderWhenAsync(shopper, id, "awaitingPayment", TimeSpan.FromMinutes(3));
            Assert.Equal("Paid", await _shop.PayAsync(awaiting.GetProperty("checkoutUrl").GetString()!));
        }

        await Eventually.TrueAsync(async () => await _shop.CountOrdersAsync(OrderStatus.Paid) == Shoppers, TimeSpan.FromMinutes(3), "every order to be paid");
        await Eventually.TrueAsync(async () => await Shop.StockAsync(stall) == (500 - Shoppers, 0), TimeSpan.FromMinutes(3), "every sold unit to leave the shelf once");
        await Eventually.TrueAsync(async () => await _shop.UndispatchedAsync() == 0, TimeSpan.FromMinutes(2), "every outbox message to be dispatched");

        await using var orderScope = _shop.Orders.CreateScope();
        var ordersDb = orderScope.ServiceProvider.GetRequiredService<OrdersDbContext>();
        Assert.Equal(Shoppers, await ordersDb.Orders.CountAsync());
        Assert.Equal(Shoppers, await ordersDb.Set<InboxMessage>().CountAsync(m => m.Consumer == "StockReservedConsumer"));
        Assert.Equal(Shoppers, await ordersDb.Set<OutboxMessage>().CountAsync(m => m.MessageType.StartsWith("Marketplace.Contracts.Orders.OrderPaid")));
        await using var catalogScope = _shop.Catalog.CreateScope();
        var catalogDb = catalogScope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        Assert.Equal(Shoppers, await catalogDb.Set<OutboxMessage>().CountAsync(m => m.MessageType.StartsWith("Marketplace.Contracts.Catalog.StockReserved")));
    }
}
