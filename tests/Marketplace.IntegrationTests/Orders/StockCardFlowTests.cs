using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Testing;

namespace Marketplace.IntegrationTests;

/// <summary>A paid order through Orders and Catalog: its goods leave the shelf on the card and come back when it is cancelled.</summary>
public sealed class StockCardFlowTests(Shop shop) : IClassFixture<Shop>
{
    [Fact]
    public async Task Stock_of_a_paid_order_that_the_cooperative_cancels_goes_back_on_the_shelf_and_on_its_card()
    {
        var stall = await shop.OpenStallAsync("stok-kembali", stock: 5);
        var shopper = shop.NewShopper();
        var orderId = (await Shop.CheckOutAsync(shopper, stall, 2)).GetProperty("id").GetGuid();
        var awaiting = await Shop.OrderWhenAsync(shopper, orderId, "awaitingPayment");
        Assert.Equal("Paid", await shop.PayAsync(awaiting.GetProperty("checkoutUrl").GetString()!));
        await Eventually.TrueAsync(async () => await Shop.StockAsync(stall) == (3, 0), because: "Catalog to take the sold stock off the shelf");

        var cancelled = await stall.OrdersAdmin.PostAsync(new Uri($"/api/orders/orders/{orderId}/cancel", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        await Eventually.TrueAsync(async () => await Shop.StockAsync(stall) == (5, 0), because: "the cancelled paid order's stock to be back on sale");

        var card = await stall.Member.GetFromJsonAsync<JsonElement>($"/api/catalog/products/{stall.ProductId}/variants/{stall.VariantId}/stock-card");
        var movements = card.GetProperty("movements").EnumerateArray()
            .Select(m => (m.GetProperty("kind").GetString(), m.GetProperty("quantity").GetInt32(), m.GetProperty("orderId").ValueKind == JsonValueKind.Null ? (Guid?)null : m.GetProperty("orderId").GetGuid()))
            .ToList();
        Assert.Equal([("restocked", 2, orderId), ("sold_online", -2, orderId), ("received", 5, null)], movements);
    }
}
