using System.Net;
using System.Net.Http.Json;
using Marketplace.Orders.Checkout;
using Marketplace.Orders.OrderAggregate;
using Marketplace.Orders;
using Marketplace.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests;

/// <summary>A rush on one product: many more shoppers than units, all at once.</summary>
public sealed class CheckoutUnderLoadTests(Shop shop) : IClassFixture<Shop>
{
    [Fact]
    public async Task Two_thousand_concurrent_checkouts_on_500_units_give_exactly_500_paid_orders()
    {
        const int Shoppers = 2_000;
        const int Stock = 500;
        var stall = await shop.OpenStallAsync("serbu-kerupuk", stock: Stock, price: 15_000);

        // Every shopper has her own guest basket and checks out at the same moment (as many in flight as sockets allow).
        using var gate = new SemaphoreSlim(100);
        var placed = await Task.WhenAll(Enumerable.Range(0, Shoppers).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                // Two thousand phones, each with its own address as the Gateway forwards it: the caps on open unpaid
                // orders per address (lifted to their highest here) count one shopper, not the whole crowd.
                var shopper = shop.NewShopper();
                shopper.DefaultRequestHeaders.Add("X-Forwarded-For", $"10.20.{i / 200}.{(i % 200) + 1}");
                return (await Shop.CheckOutAsync(shopper, stall, quantity: 1)).GetProperty("id").GetGuid();
            }
            finally
            {
                gate.Release();
            }
        }));
        Assert.Equal(Shoppers, placed.Distinct().Count());

        await Eventually.TrueAsync(async () => await CountAsync(OrderStatus.Reserving) == 0, TimeSpan.FromMinutes(4), "every reservation to be answered");
        Assert.Equal(Stock, await CountAsync(OrderStatus.AwaitingPayment));
        Assert.Equal(Shoppers - Stock, await CountAsync(OrderStatus.StockRefused));
        Assert.Equal((Stock, Stock), await Shop.StockAsync(stall));

        List<string> sessions;
        await using (var scope = shop.Orders.CreateScope())
        {
            sessions = await scope.ServiceProvider.GetRequiredService<OrdersDbContext>().Orders
                .Where(o => o.Status == OrderStatus.AwaitingPayment).Select(o => o.CheckoutUrl!).ToListAsync();
        }

        var outcomes = await Task.WhenAll(sessions.Select(async url =>
        {
            await gate.WaitAsync();
            try
            {
                return await shop.PayAsync(url);
            }
            finally
            {
                gate.Release();
            }
        }));
        Assert.All(outcomes, o => Assert.Equal("Paid", o));

        await Eventually.TrueAsync(async () => await CountAsync(OrderStatus.Paid) == Stock, TimeSpan.FromMinutes(3), "every payment's webhook");
        await Eventually.TrueAsync(async () => await Shop.StockAsync(stall) == (0, 0), TimeSpan.FromMinutes(2), "Catalog to take every sold unit off the shelf");
        Assert.Equal(0, await CountAsync(OrderStatus.AwaitingPayment));
    }

    private async Task<int> CountAsync(OrderStatus status)
    {
        await using var scope = shop.Orders.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<OrdersDbContext>().Orders.CountAsync(o => o.Status == status);
    }
}
