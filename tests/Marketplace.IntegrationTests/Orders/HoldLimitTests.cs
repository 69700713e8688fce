using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Catalog.Stock;
using Marketplace.Orders;
using Marketplace.Orders.Baskets;
using Marketplace.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Marketplace.IntegrationTests;

/// <summary>
/// Holding stock is bounded: pay-at-kiosk orders are for the next few days, capped per WhatsApp number and per client
/// address, each holds at most a share of a size's stock, lapse when the kiosk closes on the pickup day, and the
/// cooperative sees and can release what is held. Old guest baskets are swept.
/// </summary>
public sealed class HoldLimitTests(Shop shop) : IClassFixture<Shop>
{
    private static readonly TimeSpan Jakarta = TimeSpan.FromHours(7);

    [Fact]
    public async Task A_kiosk_pickup_later_than_the_cooperatives_days_ahead_is_refused_at_pickupDate()
    {
        var stall = await shop.OpenStallAsync("ambil-jauh", holdLimits: true);
        var shopper = shop.NewShopper();

        var tooFar = await CheckOutAsync(shopper, stall, 1, "0813 1000 0001", daysAhead: 4);
        var lastDay = await CheckOutAsync(shopper, stall, 1, "0813 1000 0001", daysAhead: 3);
        var byCard = await CheckOutAsync(shopper, stall, 1, "0813 1000 0001", daysAhead: 10, payment: "card");

        Assert.Equal(HttpStatusCode.BadRequest, tooFar.StatusCode);
        var problem = await tooFar.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("pickup_too_far", problem.GetProperty("fieldCodes").GetProperty("pickupDate")[0].GetString());
        Assert.Equal(HttpStatusCode.Accepted, lastDay.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, byCard.StatusCode);

        // The cooperative may allow a week.
        await SettingsAsync(stall, pickupDaysAhead: 7);
        Assert.Equal(HttpStatusCode.Accepted, (await CheckOutAsync(shopper, stall, 1, "0813 1000 0002", daysAhead: 4)).StatusCode);
    }

    [Fact]
    public async Task Open_unpaid_kiosk_orders_are_capped_per_WhatsApp_number_and_per_client_address()
    {
        var stall = await shop.OpenStallAsync("timbun", stock: 100, holdLimits: true);
        await SettingsAsync(stall, maxOpenPerPhone: 2, maxOpenPerClient: 3);
        var shopper = shop.NewShopper();

        // The same number written two ways is one number.
        Assert.Equal(HttpStatusCode.Accepted, (await CheckOutAsync(shopper, stall, 1, "0813 2000 0001", client: "203.0.113.7")).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await CheckOutAsync(shopper, stall, 1, "+62 813-2000-0001", client: "203.0.113.7")).StatusCode);
        var thirdForNumber = await CheckOutAsync(shopper, stall, 1, "62 813 2000 0001", client: "198.51.100.9");
        Assert.Equal(HttpStatusCode.Accepted, (await CheckOutAsync(shopper, stall, 1, "0813 2000 0002", client: "203.0.113.7")).StatusCode);
        var fourthFromAddress = await CheckOutAsync(shopper, stall, 1, "0813 2000 0003", client: "203.0.113.7");
        var elsewhere = await CheckOutAsync(shopper, stall, 1, "0813 2000 0003", client: "198.51.100.9");

        Assert.Equal(HttpStatusCode.Conflict, thirdForNumber.StatusCode);
        Assert.Equal("too_many_open_orders", (await thirdForNumber.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Conflict, fourthFromAddress.StatusCode);
        Assert.Equal("too_many_open_orders_here", (await fourthFromAddress.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Accepted, elsewhere.StatusCode);

        // A paid order is no longer open: the number may order again.
        var open = await HeldAsync(stall);
        var first = open.First(l => l.GetProperty("buyerWhatsApp").GetString() == "+6281320000001").GetProperty("orderId").GetGuid();
        await Shop.OrderWhenAsync(stall.OrdersAdmin, first, "awaitingKioskPayment");
        (await stall.OrdersAdmin.PostAsJsonAsync($"/api/orders/kiosk/{stall.CooperativeId}/orders/{first}/payment", new { method = "cash", tillSessionId = await Counter.OpenSessionAsync(stall.OrdersAdmin, stall.CooperativeId) })).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Accepted, (await CheckOutAsync(shopper, stall, 1, "0813 2000 0001", client: "198.51.100.9")).StatusCode);
    }

    [Theory]
    [InlineData(6, 4, 3)]
    [InlineData(2, 2, 1)]
    public async Task One_order_cannot_hold_more_than_its_share_of_a_sizes_stock(int stock, int tooMany, int most)
    {
        var stall = await shop.OpenStallAsync($"borong-{stock}", stock: stock, holdLimits: true);
        var shopper = shop.NewShopper();

        var hoarding = await AcceptedIdAsync(await CheckOutAsync(shopper, stall, tooMany, "0813 3000 0001"));
        var refused = await Shop.OrderWhenAsync(shopper, hoarding, "stockRefused");
        var fair = await AcceptedIdAsync(await CheckOutAsync(shopper, stall, most, "0813 3000 0001"));
        await Shop.OrderWhenAsync(shopper, fair, "awaitingKioskPayment");

        var shortage = refused.GetProperty("shortages")[0];
        Assert.Equal("over_share", shortage.GetProperty("reason").GetString());
        Assert.Equal(most, shortage.GetProperty("available").GetInt32());
        Assert.Equal((stock, most), await Shop.StockAsync(stall));
    }

    [Fact]
    public async Task A_kiosk_hold_lasts_until_the_pickup_days_closing_and_then_the_stock_is_back()
    {
        var stall = await shop.OpenStallAsync("tutup-kios", stock: 5, holdLimits: true);
        var shopper = shop.NewShopper();
        var orderId = await AcceptedIdAsync(await CheckOutAsync(shopper, stall, 2, "0813 4000 0001", daysAhead: 2));
        await Shop.OrderWhenAsync(shopper, orderId, "awaitingKioskPayment");

        // The stall's kiosk closes at 17:00, Jakarta time.
        var pickup = Today().AddDays(2);
        var closing = new DateTimeOffset(pickup.ToDateTime(new TimeOnly(17, 0)), Jakarta);
        await using (var scope = shop.Catalog.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Catalog.Data.CatalogDbContext>();
            var held = await db.StockReservations.AsNoTracking().SingleAsync(r => r.OrderId == orderId);
            Assert.Equal(closing, held.ExpiresAt);

            // The closing has come: Catalog's sweep lets the hold go, as its clock would at 17:00 on the day.
            await db.Database.ExecuteSqlAsync($"UPDATE catalog.stock_reservations SET expires_at = now() - interval '1 second' WHERE order_id = {orderId}");
        }

        Assert.Equal((5, 2), await Shop.StockAsync(stall));
        var expiry = shop.Catalog.Services.GetServices<IHostedService>().OfType<ReservationExpiry>().Single();
        await expiry.ExpireBatchAsync(CancellationToken.None);

        await Shop.OrderWhenAsync(shopper, orderId, "expired");
        Assert.Equal((5, 0), await Shop.StockAsync(stall));
    }

    [Fact]
    public async Task The_cooperative_sees_held_stock_and_releases_a_hold_with_a_reason()
    {
        var stall = await shop.OpenStallAsync("lepas-tahan", stock: 10, holdLimits: true);
        var other = await shop.OpenStallAsync("lepas-lain");
        var shopper = shop.NewShopper();
        var orderId = await AcceptedIdAsync(await CheckOutAsync(shopper, stall, 3, "0813 5000 0001", client: "203.0.113.50"));
        await Shop.OrderWhenAsync(shopper, orderId, "awaitingKioskPayment");

        var held = Assert.Single(await HeldAsync(stall));
        Assert.Equal(orderId, held.GetProperty("orderId").GetGuid());
        Assert.Equal(3, held.GetProperty("quantity").GetInt32());
        Assert.Equal("Turis Penimbun", held.GetProperty("buyerName").GetString());
        Assert.Equal("203.0.113.50", held.GetProperty("clientAddress").GetString());
        Assert.Equal(stall.VariantId, held.GetProperty("variantId").GetGuid());
        Assert.True(held.GetProperty("heldUntil").GetDateTimeOffset() > DateTimeOffset.UtcNow);

        var release = $"/api/orders/merchants/{stall.CooperativeId}/held-stock/{orderId}/release";
        var noReason = await stall.OrdersAdmin.PostAsJsonAsync(release, new { reason = " " });
        var stranger = await other.OrdersAdmin.PostAsJsonAsync($"/api/orders/merchants/{stall.CooperativeId}/held-stock/{orderId}/release", new { reason = "bukan punya saya" });
        var strangersView = await other.OrdersAdmin.GetAsync(new Uri($"/api/orders/merchants/{stall.CooperativeId}/held-stock", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, stranger.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, strangersView.StatusCode);

        var released = await stall.OrdersAdmin.PostAsJsonAsync(release, new { reason = "Nomor WhatsApp tidak bisa dihubungi" });
        Assert.Equal(HttpStatusCode.OK, released.StatusCode);
        Assert.Equal("cancelled", (await released.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        await Eventually.TrueAsync(async () => await Shop.StockAsync(stall) == (10, 0), because: "Catalog to put the released stock back on sale");
        Assert.Empty(await HeldAsync(stall));
        var again = await stall.OrdersAdmin.PostAsJsonAsync(release, new { reason = "sekali lagi" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task Guest_baskets_untouched_for_30_days_are_swept_and_others_stay()
    {
        var cooperativeId = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;
        var (old, recent, account) = ($"guest:{Guid.NewGuid()}", $"guest:{Guid.NewGuid()}", $"user:{Guid.NewGuid()}");
        await using (var scope = shop.Orders.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OrdersDbContext>();
            db.Baskets.AddRange(Basket.Open(old, cooperativeId, now.AddDays(-31)), Basket.Open(recent, cooperativeId, now.AddDays(-29)), Basket.Open(account, cooperativeId, now.AddDays(-90)));
            await db.SaveChangesAsync();
        }

        var sweep = shop.Orders.Services.GetServices<IHostedService>().OfType<GuestBasketSweep>().Single();
        Assert.True(await sweep.SweepAsync(CancellationToken.None) >= 1);
        Assert.Equal(0, await sweep.SweepAsync(CancellationToken.None));

        await using (var scope = shop.Orders.CreateScope())
        {
            var owners = await scope.ServiceProvider.GetRequiredService<OrdersDbContext>().Baskets.AsNoTracking()
                .Where(b => b.CooperativeId == cooperativeId).Select(b => b.Owner).ToListAsync();
            Assert.Equal([recent, account], owners.Order(StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        }
    }

    private static DateOnly Today() => DateOnly.FromDateTime(DateTime.UtcNow.Add(Jakarta));

    private static async Task<Guid> AcceptedIdAsync(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private static async Task<List<JsonElement>> HeldAsync(Stall stall) =>
        (await stall.OrdersAdmin.GetFromJsonAsync<JsonElement>($"/api/orders/merchants/{stall.CooperativeId}/held-stock")).EnumerateArray().ToList();

    private static async Task SettingsAsync(Stall stall, int pickupDaysAhead = 3, int maxOpenPerPhone = 3, int maxOpenPerClient = 10, int maxSharePercent = 50) =>
        (await stall.OrdersAdmin.PutAsJsonAsync($"/api/orders/merchants/{stall.CooperativeId}/kiosk-hold-settings",
            new { pickupDaysAhead, maxOpenPerPhone, maxOpenPerClient, maxSharePercent })).EnsureSuccessStatusCode();

    /// <summary>
    /// Fills the basket and checks out. <paramref name="client"/> is the address the Gateway forwards as X-Forwarded-For
    /// (here Orders is called directly, as the Gateway calls it).
    /// </summary>
    private static async Task<HttpResponseMessage> CheckOutAsync(
        HttpClient shopper, Stall stall, int quantity, string whatsApp, int daysAhead = 1, string payment = "kiosk", string? client = null)
    {
        (await shopper.PutAsJsonAsync($"/api/orders/baskets/{stall.CooperativeId}/lines/{stall.VariantId}", new { productId = stall.ProductId, quantity })).EnsureSuccessStatusCode();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/orders/baskets/{stall.CooperativeId}/checkout")
        {
            Content = JsonContent.Create(new
            {
                name = "Turis Penimbun",
                whatsApp,
                fulfilment = "pickup",
                pickupDate = Today().AddDays(daysAhead).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
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
