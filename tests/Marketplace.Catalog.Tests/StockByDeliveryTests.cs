using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using MassTransit;
using Marketplace.Catalog.Stock;
using Marketplace.Contracts.Orders;
using Marketplace.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Catalog.Tests;

/// <summary>Stock on hand rises only when the kiosk receives goods: a member cannot raise it by hand nor create a size with stock.</summary>
public sealed class StockByDeliveryTests(CatalogHost catalog) : IClassFixture<CatalogHost>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) } };

    [Fact]
    public async Task A_member_cannot_raise_stock_by_hand_but_may_lower_it_and_an_admin_may_correct_it_upwards()
    {
        var cooperative = await catalog.NewCooperativeAsync();
        var member = await catalog.NewMemberAsync(cooperative.Id);
        var product = await catalog.PublishedProductAsync(member, Requests.Crackers(stock: 10));
        var variant = product.Variants[0].Id;
        var stock = $"/api/catalog/products/{product.Id}/variants/{variant}/stock";
        var her = catalog.As(member.Token);

        var raised = await her.PutAsJsonAsync(stock, new { onHand = 12, reason = "Ada tambahan di rumah" });
        Assert.Equal(HttpStatusCode.BadRequest, raised.StatusCode);
        var codes = (await raised.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("fieldCodes");
        Assert.Equal("stock_raise_by_delivery", codes.GetProperty("onHand")[0].GetString());
        Assert.Equal(10, await OnHandAsync(variant));

        (await her.PutAsJsonAsync(stock, new { onHand = 8, reason = "Dua bungkus sobek" })).EnsureSuccessStatusCode();
        (await catalog.As(TestTokens.CooperativeAdmin(cooperative.Id)).PutAsJsonAsync(stock, new { onHand = 9, reason = "Salah hitung kemarin" })).EnsureSuccessStatusCode();

        var card = (await her.GetFromJsonAsync<StockCardResponse>($"/api/catalog/products/{product.Id}/variants/{variant}/stock-card", Json))!;
        Assert.Equal(9, card.OnHand);
        Assert.Equal([(MovementKinds.Adjusted, 1, "Salah hitung kemarin"), (MovementKinds.Adjusted, -2, "Dua bungkus sobek"), (MovementKinds.Received, 10, null)],
            card.Movements.Select(m => (m.Kind, m.Quantity, m.Reason)));
        Assert.NotNull(card.Movements[2].DeliveryId);
    }

    [Fact]
    public async Task A_new_product_starts_with_nothing_on_hand_and_becomes_sellable_when_its_delivery_is_received()
    {
        var cooperative = await catalog.NewCooperativeAsync();
        var member = await catalog.NewMemberAsync(cooperative.Id);
        var her = catalog.As(member.Token);

        // Stock typed into a new size is refused at that size's field, with nothing created.
        var withStock = await her.PostAsJsonAsync("/api/catalog/products", Requests.Crackers(stock: 5));
        Assert.Equal(HttpStatusCode.BadRequest, withStock.StatusCode);
        Assert.Equal("stock_by_delivery", (await withStock.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("fieldCodes").GetProperty("variants[0].stock")[0].GetString());
        Assert.Equal(0, (await her.GetFromJsonAsync<JsonElement>("/api/catalog/products/mine")).GetArrayLength());

        var product = await catalog.PublishedProductAsync(member, Requests.Crackers(stock: 0));
        var variant = product.Variants[0].Id;
        Assert.Equal(0, product.Variants[0].OnHand);
        Assert.False(await catalog.InDbAsync(db => db.StockMovements.AnyAsync(m => m.VariantId == variant)));
        var sizeWithStock = await her.PostAsJsonAsync($"/api/catalog/products/{product.Id}/variants", new { sku = "KRP-500-X", label = "500 g", priceRupiah = 45_000, weightGrams = 550, stock = 3 });
        Assert.Equal(HttpStatusCode.BadRequest, sizeWithStock.StatusCode);
        Assert.Equal("stock_by_delivery", (await sizeWithStock.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("fieldCodes").GetProperty("stock")[0].GetString());

        var early = NewId.NextGuid();
        await Bus.Publish(new ReserveStock(early, cooperative.Id, [new StockLine(variant, 1)], DateTimeOffset.UtcNow.AddMinutes(30)));
        await StatusAsync(early, ReservationStatus.Refused);

        await catalog.DeliverAsync(member, [(variant, 5)]);
        Assert.Equal(5, (await catalog.Anonymous().GetFromJsonAsync<JsonElement>($"/api/catalog/products/{product.Id}")).GetProperty("variants")[0].GetProperty("available").GetInt32());
        var order = NewId.NextGuid();
        await Bus.Publish(new ReserveStock(order, cooperative.Id, [new StockLine(variant, 2)], DateTimeOffset.UtcNow.AddMinutes(30)));
        await StatusAsync(order, ReservationStatus.Held);
    }

    private IBus Bus => catalog.Host.Services.GetRequiredService<IBus>();

    private Task<int> OnHandAsync(Guid variant) => catalog.InDbAsync(db => db.Variants.AsNoTracking().Where(v => v.Id == variant).Select(v => v.OnHand).SingleAsync());

    private Task StatusAsync(Guid order, ReservationStatus status) =>
        Eventually.TrueAsync(async () => await catalog.InDbAsync(db => db.StockReservations.AnyAsync(r => r.OrderId == order && r.Status == status)), because: $"the reservation to be {status}");
}
