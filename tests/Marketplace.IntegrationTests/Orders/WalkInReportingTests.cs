using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Testing;

namespace Marketplace.IntegrationTests;

/// <summary>A walk-in sale is an order like any other for the books: the maker's balance and laba, and the cooperative's omzet, count it.</summary>
public sealed class WalkInReportingTests(Shop shop) : IClassFixture<Shop>
{
    [Fact]
    public async Task A_walk_in_sale_reaches_the_makers_balance_and_laba_and_the_cooperatives_omzet_by_channel_and_by_member()
    {
        var stall = await shop.OpenStallAsync("jual-laporan", price: 30_000);
        var clerk = Counter.Clerk(shop, stall.CooperativeId);
        var maker = shop.NewShopper(TestTokens.Member(stall.CooperativeId, stall.MemberId));
        var session = await Counter.OpenTillAsync(clerk, stall.CooperativeId, floatRupiah: 0);

        var sold = await clerk.PostAsJsonAsync($"/api/orders/kiosk/{stall.CooperativeId}/sales",
            Counter.Sale(Guid.NewGuid(), stall, quantity: 2, price: 30_000, "cash", tendered: 60_000, session: session));

        Assert.Equal(HttpStatusCode.Created, sold.StatusCode);
        // 60 000 less the cooperative's 10 % fee is hers, handed over at once.
        var balance = await Eventually.GetAsync(
            () => maker.GetFromJsonAsync<JsonElement>("/api/settlement/members/me/balance"),
            b => b.GetProperty("pendingRupiah").GetInt64() + b.GetProperty("availableRupiah").GetInt64() == 54_000,
            TimeSpan.FromSeconds(30), "the maker's share of the walk-in sale to be booked");
        Assert.Equal(0, balance.GetProperty("paidOutRupiah").GetInt64());
        var laba = await maker.GetFromJsonAsync<JsonElement>("/api/settlement/members/me/laba");
        Assert.Equal(60_000, laba.GetProperty("totals").GetProperty("omzetRupiah").GetInt64());

        var from = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-1)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var to = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(1)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var byChannel = await stall.OrdersAdmin.GetFromJsonAsync<JsonElement>($"/api/settlement/cooperatives/{stall.CooperativeId}/reports/omzet?from={from}&to={to}&by=channel");
        var byMember = await stall.OrdersAdmin.GetFromJsonAsync<JsonElement>($"/api/settlement/cooperatives/{stall.CooperativeId}/reports/omzet?from={from}&to={to}&by=member");
        var cash = Assert.Single(byChannel.GetProperty("rows").EnumerateArray());
        Assert.Equal(("cash", 60_000L, 6_000L, 2), (cash.GetProperty("key").GetString(), cash.GetProperty("grossRupiah").GetInt64(), cash.GetProperty("feesRupiah").GetInt64(),
            cash.GetProperty("units").GetInt32()));
        var hers = Assert.Single(byMember.GetProperty("rows").EnumerateArray());
        Assert.Equal((stall.MemberId.ToString(), 60_000L, 2), (hers.GetProperty("key").GetString(), hers.GetProperty("grossRupiah").GetInt64(), hers.GetProperty("units").GetInt32()));
    }
}
