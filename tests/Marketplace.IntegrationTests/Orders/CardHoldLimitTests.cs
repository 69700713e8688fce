using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Marketplace.IntegrationTests;

/// <summary>
/// A card (or QRIS) order holds its stock while its payment page is open and while Stripe confirms it: it is bounded like
/// a kiosk order, by the cooperative's share of a size and by its caps on open unpaid orders per number and per address.
/// Kiosk and card orders are counted apart, so a shopper at her kiosk cap may still pay by card.
/// </summary>
public sealed class CardHoldLimitTests(Shop shop) : IClassFixture<Shop>
{
    [Fact]
    public async Task One_card_order_cannot_hold_more_than_its_share_of_a_sizes_stock()
    {
        var stall = await shop.OpenStallAsync("kartu-borong", stock: 6, holdLimits: true);
        await SettingsAsync(stall);
        var shopper = shop.NewShopper();

        var hoarding = await AcceptedIdAsync(await CheckOutAsync(shopper, stall, 4, "0813 6000 0001"));
        var refused = await Shop.OrderWhenAsync(shopper, hoarding, "stockRefused");
        var fair = await AcceptedIdAsync(await CheckOutAsync(shopper, stall, 3, "0813 6000 0001"));
        await Shop.OrderWhenAsync(shopper, fair, "awaitingPayment");

        var shortage = refused.GetProperty("shortages")[0];
        Assert.Equal("over_share", shortage.GetProperty("reason").GetString());
        Assert.Equal(3, shortage.GetProperty("available").GetInt32());
        Assert.Equal((6, 3), await Shop.StockAsync(stall));
    }

    [Fact]
    public async Task Open_unpaid_card_orders_are_capped_per_number_and_per_address_apart_from_kiosk_orders()
    {
        var stall = await shop.OpenStallAsync("kartu-timbun", stock: 100, holdLimits: true);
        await SettingsAsync(stall, maxOpenPerPhone: 2, maxOpenPerClient: 3);
        var shopper = shop.NewShopper();

        Assert.Equal(HttpStatusCode.Accepted, (await CheckOutAsync(shopper, stall, 1, "0813 7000 0001", client: "203.0.113.17")).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await CheckOutAsync(shopper, stall, 1, "+62 813-7000-0001", client: "203.0.113.17")).StatusCode);
        var thirdForNumber = await CheckOutAsync(shopper, stall, 1, "0813 7000 0001", client: "198.51.100.19");
        Assert.Equal(HttpStatusCode.Accepted, (await CheckOutAsync(shopper, stall, 1, "0813 7000 0002", client: "203.0.113.17")).StatusCode);
        var fourthFromAddress = await CheckOutAsync(shopper, stall, 1, "0813 7000 0003", client: "203.0.113.17");
        var byKioskFromThere = await CheckOutAsync(shopper, stall, 1, "0813 7000 0001", client: "203.0.113.17", payment: "kiosk");
        var elsewhere = await CheckOutAsync(shopper, stall, 1, "0813 7000 0003", client: "198.51.100.19");

        Assert.Equal(HttpStatusCode.Conflict, thirdForNumber.StatusCode);
        Assert.Equal("too_many_open_orders", (await thirdForNumber.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Conflict, fourthFromAddress.StatusCode);
        Assert.Equal("too_many_open_orders_here", (await fourthFromAddress.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Accepted, byKioskFromThere.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, elsewhere.StatusCode);
    }

    private static async Task<Guid> AcceptedIdAsync(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private static async Task SettingsAsync(Stall stall, int maxOpenPerPhone = 3, int maxOpenPerClient = 10, int maxSharePercent = 50) =>
        (await stall.OrdersAdmin.PutAsJsonAsync($"/api/orders/merchants/{stall.CooperativeId}/kiosk-hold-settings",
            new { pickupDaysAhead = 3, maxOpenPerPhone, maxOpenPerClient, maxSharePercent })).EnsureSuccessStatusCode();

    /// <summary>Fills the basket and checks out; <paramref name="client"/> is the address the Gateway forwards as X-Forwarded-For.</summary>
    private static async Task<HttpResponseMessage> CheckOutAsync(
        HttpClient shopper, Stall stall, int quantity, string whatsApp, string payment = "card", string? client = null)
    {
        (await shopper.PutAsJsonAsync($"/api/orders/baskets/{stall.CooperativeId}/lines/{stall.VariantId}", new { productId = stall.ProductId, quantity })).EnsureSuccessStatusCode();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/orders/baskets/{stall.CooperativeId}/checkout")
        {
            Content = JsonContent.Create(new
            {
                name = "Turis Kartu",
                whatsApp,
                fulfilment = "pickup",
                pickupDate = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(7)).AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                payment,
            }),
        };
        if (client is not null)
        {
            request.Headers.Add("X-Forwarded-For", client);
        }

        return await shopper.SendAsync(request);
    }
}
