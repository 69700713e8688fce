using MassTransit;
using Marketplace.Catalog.Stock;
using Marketplace.Contracts.Orders;
using System.Net.Http.Json;
using Marketplace.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Catalog.Tests;

public sealed class StockTests(CatalogHost catalog) : IClassFixture<CatalogHost>
{
    private IBus Bus => catalog.Host.Services.GetRequiredService<IBus>();

    private async Task<(Guid Cooperative, Guid Variant)> VariantWithStockAsync(int stock)
    {
        var cooperative = await catalog.NewCooperativeAsync();
        var member = await catalog.NewMemberAsync(cooperative.Id);
        var product = await catalog.PublishedProductAsync(member, Requests.Crackers(stock: stock));
        return (cooperative.Id, product.Variants[0].Id);
    }

    private async Task<(int OnHand, int Reserved)> StockOfAsync(Guid variant)
    {
        var stock = await catalog.InDbAsync(db => db.Variants.AsNoTracking().Where(v => v.Id == variant).Select(v => new { v.OnHand, v.Reserved }).SingleAsync());
        return (stock.OnHand, stock.Reserved);
    }

    private Task<Dictionary<ReservationStatus, int>> ReservationsAsync(IReadOnlyCollection<Guid> orders) =>
        catalog.InDbAsync(db => db.StockReservations.AsNoTracking().Where(r => orders.Contains(r.OrderId))
            .GroupBy(r => r.Status).ToDictionaryAsync(g => g.Key, g => g.Count()));

    [Fact]
    public async Task Two_thousand_concurrent_reservations_against_five_hundred_in_stock_hold_exactly_five_hundred()
    {
        var (cooperative, variant) = await VariantWithStockAsync(500);
        var orders = Enumerable.Range(0, 2000).Select(_ => NewId.NextGuid()).ToList();
        var expiresAt = DateTimeOffset.UtcNow.AddMinutes(30);

        await Parallel.ForEachAsync(orders, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (order, ct) =>
            await Bus.Publish(new ReserveStock(order, cooperative, [new StockLine(variant, 1)], expiresAt), ct));
        var outcome = await Eventually.GetAsync(() => ReservationsAsync(orders), r => r.Values.Sum() == orders.Count, TimeSpan.FromMinutes(3), "every request to be answered");

        Assert.Equal(500, outcome[ReservationStatus.Held]);
        Assert.Equal(1500, outcome[ReservationStatus.Refused]);
        Assert.Equal((500, 500), await StockOfAsync(variant));

        var held = await catalog.InDbAsync(db => db.StockReservations.Where(r => orders.Contains(r.OrderId) && r.Status == ReservationStatus.Held).Select(r => r.OrderId).ToListAsync());
        foreach (var order in held)
        {
            await Bus.Publish(new ConfirmStockReservation(order));
        }

        await Eventually.TrueAsync(async () => (await ReservationsAsync(orders)).GetValueOrDefault(ReservationStatus.Confirmed) == 500, TimeSpan.FromMinutes(2), "every confirmation");
        Assert.Equal((0, 0), await StockOfAsync(variant));
    }

    [Fact]
    public async Task A_reservation_holds_every_line_or_none()
    {
        var (cooperative, plenty) = await VariantWithStockAsync(10);
        var member = await catalog.NewMemberAsync(cooperative);
        var scarce = (await catalog.PublishedProductAsync(member, Requests.Crackers(name: "Kerupuk Cumi", stock: 1))).Variants[0].Id;
        var order = NewId.NextGuid();

        await Bus.Publish(new ReserveStock(order, cooperative, [new StockLine(plenty, 3), new StockLine(scarce, 2)], DateTimeOffset.UtcNow.AddMinutes(30)));
        await Eventually.TrueAsync(async () => (await ReservationsAsync([order])).ContainsKey(ReservationStatus.Refused), because: "the refusal");

        Assert.Equal((10, 0), await StockOfAsync(plenty));
        Assert.Equal((1, 0), await StockOfAsync(scarce));
    }

    [Fact]
    public async Task A_reservation_for_another_cooperatives_product_is_refused()
    {
        var (_, variant) = await VariantWithStockAsync(10);
        var otherCooperative = (await catalog.NewCooperativeAsync()).Id;
        var order = NewId.NextGuid();

        await Bus.Publish(new ReserveStock(order, otherCooperative, [new StockLine(variant, 1)], DateTimeOffset.UtcNow.AddMinutes(30)));
        await Eventually.TrueAsync(async () => (await ReservationsAsync([order])).ContainsKey(ReservationStatus.Refused), because: "the refusal");

        Assert.Equal((10, 0), await StockOfAsync(variant));
    }

    [Fact]
    public async Task An_expired_reservation_returns_its_stock()
    {
        var (cooperative, variant) = await VariantWithStockAsync(5);
        var order = NewId.NextGuid();

        await Bus.Publish(new ReserveStock(order, cooperative, [new StockLine(variant, 4)], DateTimeOffset.UtcNow.AddSeconds(2)));
        await Eventually.TrueAsync(async () => (await ReservationsAsync([order])).ContainsKey(ReservationStatus.Held), because: "the hold");
        Assert.Equal((5, 4), await StockOfAsync(variant));

        await Eventually.TrueAsync(async () => (await ReservationsAsync([order])).ContainsKey(ReservationStatus.Expired), TimeSpan.FromSeconds(30), "the hold to expire");
        Assert.Equal((5, 0), await StockOfAsync(variant));
    }

    [Fact]
    public async Task A_released_reservation_returns_its_stock_and_a_repeated_request_holds_nothing_more()
    {
        var (cooperative, variant) = await VariantWithStockAsync(5);
        var order = NewId.NextGuid();
        var request = new ReserveStock(order, cooperative, [new StockLine(variant, 2)], DateTimeOffset.UtcNow.AddMinutes(30));

        await Bus.Publish(request);
        await Bus.Publish(request);
        await Eventually.TrueAsync(async () => (await ReservationsAsync([order])).ContainsKey(ReservationStatus.Held), because: "the hold");
        Assert.Equal((5, 2), await StockOfAsync(variant));

        await Bus.Publish(new ReleaseStockReservation(order, "cancelled"));
        await Eventually.TrueAsync(async () => (await ReservationsAsync([order])).ContainsKey(ReservationStatus.Released), because: "the release");
        Assert.Equal((5, 0), await StockOfAsync(variant));
    }

    [Fact]
    public async Task Stock_on_hand_cannot_be_set_below_what_orders_hold()
    {
        var cooperative = await catalog.NewCooperativeAsync();
        var member = await catalog.NewMemberAsync(cooperative.Id);
        var product = await catalog.PublishedProductAsync(member, Requests.Crackers(stock: 5));
        var variant = product.Variants[0].Id;
        var order = NewId.NextGuid();
        await Bus.Publish(new ReserveStock(order, cooperative.Id, [new StockLine(variant, 3)], DateTimeOffset.UtcNow.AddMinutes(30)));
        await Eventually.TrueAsync(async () => (await ReservationsAsync([order])).ContainsKey(ReservationStatus.Held), because: "the hold");

        var response = await catalog.As(member.Token).PutAsJsonAsync($"/api/catalog/products/{product.Id}/variants/{variant}/stock", new { onHand = 2, reason = "rusak" });

        Assert.Equal(System.Net.HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal((5, 3), await StockOfAsync(variant));
    }
}
