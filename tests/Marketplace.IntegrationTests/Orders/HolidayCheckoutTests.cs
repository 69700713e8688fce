using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Marketplace.Contracts.Catalog;
using Marketplace.Orders;
using Marketplace.ServiceDefaults.Formatting;
using Marketplace.ServiceDefaults.Messaging;
using Marketplace.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests;

/// <summary>
/// A maker on holiday (libur): Orders learns of it from Catalog's MemberUpdated and refuses to ship her products
/// meanwhile, naming them; pickup at the kiosk stays open, and shipping opens again when the holiday is over.
/// </summary>
public sealed class HolidayCheckoutTests(Shop shop) : IClassFixture<Shop>
{
    // The stalls keep the default zone: the kiosk's calendar is Jakarta's.
    private static DateOnly Today => LocalTime.Today(DateTimeOffset.UtcNow, "Asia/Jakarta");

    [Fact]
    public async Task Shipping_is_refused_naming_the_product_while_its_maker_is_away_but_pickup_is_placed_and_ending_the_holiday_opens_shipping()
    {
        var stall = await shop.OpenStallAsync("libur-kirim");
        (await stall.Member.PutAsJsonAsync("/api/catalog/members/me/holiday", new { awayFrom = Today, awayUntil = Today.AddDays(3) })).EnsureSuccessStatusCode();
        await OrdersKnowsAsync(stall.MemberId, Today.AddDays(3));
        var shopper = shop.NewShopper();
        (await shopper.PutAsJsonAsync($"/api/orders/baskets/{stall.CooperativeId}/lines/{stall.VariantId}", new { productId = stall.ProductId, quantity = 1 })).EnsureSuccessStatusCode();
        var before = await shop.CountOrdersAsync();

        var basket = await shopper.GetFromJsonAsync<JsonElement>($"/api/orders/baskets/{stall.CooperativeId}");
        var refused = await ShipAsync(shopper, stall);

        Assert.Equal(Today.AddDays(3), basket.GetProperty("lines")[0].GetProperty("makerAwayUntil").Deserialize<DateOnly>());
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("maker_away", problem.GetProperty("fieldCodes").GetProperty("fulfilment")[0].GetString());
        Assert.Contains("Tas Pandan libur-kirim", problem.GetProperty("errors").GetProperty("fulfilment")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await shop.CountOrdersAsync());

        // Her goods at the kiosk still sell: the same basket is picked up, paid there.
        var pickedUp = await Shop.CheckOutAsync(shopper, stall, 1, payment: "kiosk", fulfilment: "pickup");
        Assert.Equal("pickup", pickedUp.GetProperty("fulfilment").GetString());

        (await stall.Member.DeleteAsync(new Uri("/api/catalog/members/me/holiday", UriKind.Relative))).EnsureSuccessStatusCode();
        await OrdersKnowsAsync(stall.MemberId, null);
        (await shopper.PutAsJsonAsync($"/api/orders/baskets/{stall.CooperativeId}/lines/{stall.VariantId}", new { productId = stall.ProductId, quantity = 1 })).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Accepted, (await ShipAsync(shopper, stall)).StatusCode);
    }

    [Fact]
    public async Task A_holiday_not_yet_begun_or_already_over_does_not_stop_shipping_and_the_newest_snapshot_wins()
    {
        var stall = await shop.OpenStallAsync("libur-nanti");
        (await stall.Member.PutAsJsonAsync("/api/catalog/members/me/holiday", new { awayFrom = Today.AddDays(1), awayUntil = Today.AddDays(4) })).EnsureSuccessStatusCode();
        await OrdersKnowsAsync(stall.MemberId, Today.AddDays(4));
        var shopper = shop.NewShopper();
        (await shopper.PutAsJsonAsync($"/api/orders/baskets/{stall.CooperativeId}/lines/{stall.VariantId}", new { productId = stall.ProductId, quantity = 1 })).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Accepted, (await ShipAsync(shopper, stall)).StatusCode);

        // A holiday that ended yesterday (as Catalog would publish it, a later revision), then a stale snapshot of an older
        // revision saying she is away today, arriving late: the newer one holds.
        var bus = shop.Catalog.Services.GetRequiredService<IBus>();
        await bus.Publish(new MemberUpdated(stall.MemberId, stall.CooperativeId, "Bu Penjual", string.Empty, "active", 1000, DateTimeOffset.UtcNow, Today.AddDays(-5), Today.AddDays(-1)));
        await OrdersKnowsAsync(stall.MemberId, Today.AddDays(-1));
        var stale = Guid.NewGuid();
        await bus.Publish(new MemberUpdated(stall.MemberId, stall.CooperativeId, "Bu Penjual", string.Empty, "active", 999, DateTimeOffset.UtcNow, Today, Today.AddDays(2)),
            context => context.MessageId = stale);
        await Eventually.TrueAsync(async () =>
        {
            await using var scope = shop.Orders.CreateScope();
            return await scope.ServiceProvider.GetRequiredService<OrdersDbContext>().Set<InboxMessage>().AnyAsync(m => m.MessageId == stale && m.Consumer == "MemberHolidayConsumer");
        }, TimeSpan.FromSeconds(30), "Orders to handle the stale snapshot");
        await OrdersKnowsAsync(stall.MemberId, Today.AddDays(-1));

        (await shopper.PutAsJsonAsync($"/api/orders/baskets/{stall.CooperativeId}/lines/{stall.VariantId}", new { productId = stall.ProductId, quantity = 1 })).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Accepted, (await ShipAsync(shopper, stall)).StatusCode);
    }

    private Task OrdersKnowsAsync(Guid memberId, DateOnly? awayUntil) =>
        Eventually.TrueAsync(async () =>
        {
            await using var scope = shop.Orders.CreateScope();
            var holiday = await scope.ServiceProvider.GetRequiredService<OrdersDbContext>().MemberHolidays.AsNoTracking().FirstOrDefaultAsync(h => h.MemberId == memberId);
            return holiday is not null && holiday.AwayUntil == awayUntil;
        }, TimeSpan.FromSeconds(30), "Orders to learn of the member's holiday");

    private static Task<HttpResponseMessage> ShipAsync(HttpClient shopper, Stall stall) =>
        shopper.PostAsJsonAsync($"/api/orders/baskets/{stall.CooperativeId}/checkout", new
        {
            name = "Turis Senang",
            whatsApp = "0813 2222 3333",
            fulfilment = "shipping",
            shippingAddress = new { recipient = "Turis Senang", street = "Jl. Mawar 1", city = "Surabaya", province = "Jawa Timur", postalCode = "60111" },
            payment = "card",
        });
}
