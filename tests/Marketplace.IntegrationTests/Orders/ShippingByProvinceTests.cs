using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Marketplace.IntegrationTests;

/// <summary>
/// Shipping is priced from the province the shopper names, the same before and at checkout, and an order is placed
/// only at the total she was shown.
/// </summary>
public sealed class ShippingByProvinceTests(Shop shop) : IClassFixture<Shop>
{
    [Fact]
    public async Task The_quote_for_a_province_is_what_checkout_charges_and_a_province_without_a_rate_is_refused()
    {
        var stall = await shop.OpenStallAsync("kirim-ke-bali", price: 30_000);
        (await stall.OrdersAdmin.PutAsJsonAsync($"/api/orders/merchants/{stall.CooperativeId}/shipping-rates", new
        {
            rates = new[] { new { zone = "jawa", upToGrams = 5000, priceRupiah = 18_000 }, new { zone = "bali-nusa", upToGrams = 5000, priceRupiah = 25_000 } },
        })).EnsureSuccessStatusCode();
        var shopper = shop.NewShopper();
        (await shopper.PutAsJsonAsync($"/api/orders/baskets/{stall.CooperativeId}/lines/{stall.VariantId}", new { productId = stall.ProductId, quantity = 2 })).EnsureSuccessStatusCode();

        var quote = await shopper.GetFromJsonAsync<JsonElement>($"/api/orders/baskets/{stall.CooperativeId}/shipping");
        var destinations = quote.GetProperty("destinations").EnumerateArray().ToDictionary(d => d.GetProperty("province").GetString()!);
        Assert.Equal(38, destinations.Count);
        Assert.Equal(25_000, destinations["Bali"].GetProperty("priceRupiah").GetInt64());
        Assert.Equal("Bali and Nusa Tenggara", destinations["Bali"].GetProperty("zoneNameEn").GetString());
        Assert.Equal(18_000, destinations["Jawa Timur"].GetProperty("priceRupiah").GetInt64());
        Assert.Equal(JsonValueKind.Null, destinations["Papua"].GetProperty("priceRupiah").ValueKind);

        var toPapua = await CheckOutAsync(shopper, stall, "Papua", expectedTotal: null);
        Assert.Equal(HttpStatusCode.BadRequest, toPapua.StatusCode);
        Assert.Equal("no_shipping_rate", (await toPapua.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        var nowhere = await CheckOutAsync(shopper, stall, "Atlantis", expectedTotal: null);
        Assert.Equal("unknown_province", (await nowhere.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());

        var placed = await CheckOutAsync(shopper, stall, "bali", expectedTotal: 85_000);
        Assert.Equal(HttpStatusCode.Accepted, placed.StatusCode);
        var order = await placed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(25_000, order.GetProperty("shippingRupiah").GetInt64());
        Assert.Equal(85_000, order.GetProperty("totalRupiah").GetInt64());
        Assert.Equal("Bali", order.GetProperty("shippingAddress").GetProperty("province").GetString());
        Assert.Equal("bali-nusa", order.GetProperty("shippingAddress").GetProperty("zone").GetString());
        Assert.Equal("en", order.GetProperty("language").GetString());
    }

    [Fact]
    public async Task An_order_is_not_placed_at_another_total_than_the_one_the_shopper_was_shown()
    {
        var stall = await shop.OpenStallAsync("total-berubah", price: 30_000);
        var shopper = shop.NewShopper();
        (await shopper.PutAsJsonAsync($"/api/orders/baskets/{stall.CooperativeId}/lines/{stall.VariantId}", new { productId = stall.ProductId, quantity = 1 })).EnsureSuccessStatusCode();
        var before = await shop.CountOrdersAsync();

        // She saw Rp 45.000 (Rp 30.000 and Rp 15.000 shipping); the cooperative's rate is Rp 18.000 now.
        var refused = await CheckOutAsync(shopper, stall, "Jawa Timur", expectedTotal: 45_000);

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("total_changed", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(before, await shop.CountOrdersAsync());
        var basket = await shopper.GetFromJsonAsync<JsonElement>($"/api/orders/baskets/{stall.CooperativeId}");
        Assert.Equal(1, basket.GetProperty("lines").GetArrayLength());
    }

    [Fact]
    public async Task Every_mistake_in_the_shoppers_details_is_refused_at_once_each_at_its_field_and_nothing_is_placed()
    {
        var stall = await shop.OpenStallAsync("salah-semua", price: 30_000);
        var shopper = shop.NewShopper();
        (await shopper.PutAsJsonAsync($"/api/orders/baskets/{stall.CooperativeId}/lines/{stall.VariantId}", new { productId = stall.ProductId, quantity = 1 })).EnsureSuccessStatusCode();
        var before = await shop.CountOrdersAsync();

        var refused = await shopper.PostAsJsonAsync($"/api/orders/baskets/{stall.CooperativeId}/checkout", new
        {
            name = " ",
            whatsApp = "12",
            email = "not-an-address",
            fulfilment = "shipping",
            shippingAddress = new { recipient = "Emma", street = "Jl. Pantai 7", city = "Denpasar", province = "Atlantis", postalCode = "80361" },
            payment = "kiosk",
        });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var codes = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("fieldCodes");
        Assert.Equal("invalid_name", codes.GetProperty("name")[0].GetString());
        Assert.Equal("invalid_whatsapp", codes.GetProperty("whatsApp")[0].GetString());
        Assert.Equal("invalid_email", codes.GetProperty("email")[0].GetString());
        Assert.Equal("unknown_province", codes.GetProperty("shippingAddress.province")[0].GetString());
        Assert.Equal(before, await shop.CountOrdersAsync());
    }

    private static Task<HttpResponseMessage> CheckOutAsync(HttpClient shopper, Stall stall, string province, long? expectedTotal) =>
        shopper.PostAsJsonAsync($"/api/orders/baskets/{stall.CooperativeId}/checkout", new
        {
            name = "Emma Walker",
            whatsApp = "+44 7700 900123",
            fulfilment = "shipping",
            shippingAddress = new { recipient = "Emma Walker", street = "Jl. Pantai Kuta 7", city = "Denpasar", province, postalCode = "80361" },
            payment = "card",
            language = "en",
            expectedTotalRupiah = expectedTotal,
        });
}
