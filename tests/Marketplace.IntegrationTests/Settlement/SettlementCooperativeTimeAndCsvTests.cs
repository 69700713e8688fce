using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Contracts.Catalog;
using Marketplace.Contracts.Orders;
using Marketplace.Orders.Settlement.Data;
using Marketplace.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests;

/// <summary>
/// Settlement's report files are safe to open in a spreadsheet, and its days are the cooperative's own, in the time
/// zone Catalog gives the cooperative.
/// </summary>
public sealed class SettlementCooperativeTimeAndCsvTests(SettlementHost host) : IClassFixture<SettlementHost>
{
    [Fact]
    public async Task A_product_named_like_a_formula_comes_out_inert_in_the_omzet_csv()
    {
        var cooperative = Guid.NewGuid();
        var paidAt = new DateTimeOffset(2026, 3, 10, 10, 0, 0, TimeSpan.FromHours(7));
        await host.PublishAsync(new OrderPaid(Guid.NewGuid(), cooperative, PaymentChannel.Cash, null,
            [
                new SoldLine(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "kerajinan", "=HYPERLINK(\"http://x\")", 1, 40_000, 40_000, 10m),
                new SoldLine(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "kerupuk", "Kerupuk ikan", 2, 15_000, 30_000, 10m),
            ], 0, 70_000, paidAt), Guid.NewGuid());
        await Eventually.TrueAsync(async () => await host.EntriesAsync(cooperative) == 1, because: "the sale to be posted");

        var csv = await host.Admin(cooperative, Guid.NewGuid())
            .GetStringAsync(new Uri($"/api/settlement/cooperatives/{cooperative}/reports/omzet?from=2026-03-01&to=2026-03-31&by=product&format=csv", UriKind.Relative));
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        // Quoted, with an apostrophe in front: a spreadsheet shows the name as text instead of running it.
        Assert.Contains("\"'=HYPERLINK(\"\"http://x\"\")\",40000,4000,0,40000,1", lines);
        Assert.Contains("\"Kerupuk ikan\",30000,3000,0,30000,2", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith('=') || l.StartsWith("\"=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Report_days_are_the_cooperatives_own_in_the_time_zone_Catalog_gave_it()
    {
        var papua = Guid.NewGuid();
        var unknown = Guid.NewGuid();
        await host.PublishAsync(new CooperativeUpdated(papua, "koperasi-jayapura", "Koperasi Jayapura", true,
            new FeePolicy(10m, new Dictionary<string, decimal>()), "Asia/Jayapura", [], 2, DateTimeOffset.UtcNow), Guid.NewGuid());
        await Eventually.TrueAsync(
            async () =>
            {
                await using var scope = host.Orders.CreateScope();
                return await scope.ServiceProvider.GetRequiredService<SettlementDbContext>().Cooperatives.AnyAsync(c => c.CooperativeId == papua && c.TimeZone == "Asia/Jayapura");
            },
            because: "Settlement to learn the cooperative's time zone");
        // 30 June 23:30 in Jakarta is already 1 July 01:30 in Jayapura.
        var paidAt = new DateTimeOffset(2026, 6, 30, 16, 30, 0, TimeSpan.Zero);
        foreach (var cooperative in new[] { papua, unknown })
        {
            await host.PublishAsync(new OrderPaid(Guid.NewGuid(), cooperative, PaymentChannel.Card, "pi_tz",
                [new SoldLine(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "batik", "Batik", 1, 200_000, 200_000, 10m)], 0, 200_000, paidAt), Guid.NewGuid());
            await Eventually.TrueAsync(async () => await host.EntriesAsync(cooperative) == 1, because: "the sale to be posted");
        }

        var inPapua = await DaysAsync(papua, "2026-06-30", "2026-07-01");
        var notYetKnown = await DaysAsync(unknown, "2026-06-30", "2026-07-01");
        var papuaJune = await DaysAsync(papua, "2026-06-01", "2026-06-30");

        Assert.Equal(new[] { "2026-07-01" }, inPapua);
        // A cooperative Settlement has not heard of yet counts in Western Indonesia Time, where every cooperative starts.
        Assert.Equal(new[] { "2026-06-30" }, notYetKnown);
        Assert.Empty(papuaJune);
    }

    [Fact]
    public async Task Payout_statuses_and_methods_answer_in_one_casing_the_enums_camelCase()
    {
        var cooperative = Guid.NewGuid();
        var member = Guid.NewGuid();
        var order = Guid.NewGuid();
        var line = new SoldLine(Guid.NewGuid(), member, Guid.NewGuid(), Guid.NewGuid(), "kerupuk", "Kerupuk", 1, 50_000, 50_000, 10m);
        await host.PublishAsync(new OrderPaid(order, cooperative, PaymentChannel.Cash, null, [line], 0, 50_000, DateTimeOffset.UtcNow), Guid.NewGuid());
        await host.PublishAsync(new OrderLinesFulfilled(order, cooperative, [new FulfilledLine(line.OrderLineId, member, 1)], "handed_over", DateTimeOffset.UtcNow), Guid.NewGuid());
        await Eventually.TrueAsync(async () => await host.EntriesAsync(cooperative) == 2, because: "the sale and the hand-over to be posted");
        var preparer = host.Admin(cooperative, Guid.NewGuid());
        var approver = host.Admin(cooperative, Guid.NewGuid());

        var prepared = await (await preparer.PostAsJsonAsync($"/api/settlement/cooperatives/{cooperative}/payout-batches", new { minimumRupiah = 0 }))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
        var batchId = prepared.GetProperty("id").GetGuid();
        var approved = await (await approver.PostAsync(new Uri($"/api/settlement/payout-batches/{batchId}/approve", UriKind.Relative), null))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
        var paid = await (await approver.PostAsJsonAsync($"/api/settlement/payout-batches/{batchId}/members/{member}/paid", new { reference = "KAS-1" }))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
        var mine = Assert.Single((await host.Member(cooperative, member).GetFromJsonAsync<JsonElement>("/api/settlement/members/me/payouts")).EnumerateArray());

        Assert.Equal("draft", prepared.GetProperty("status").GetString());
        var preparedLine = Assert.Single(prepared.GetProperty("lines").EnumerateArray());
        Assert.Equal("pending", preparedLine.GetProperty("status").GetString());
        Assert.Equal("cash", preparedLine.GetProperty("method").GetString());
        Assert.Equal("approved", approved.GetProperty("status").GetString());
        Assert.Equal("paid", paid.GetProperty("status").GetString());
        Assert.Equal("paid", Assert.Single(paid.GetProperty("lines").EnumerateArray()).GetProperty("status").GetString());
        Assert.Equal("paid", mine.GetProperty("batchStatus").GetString());
        Assert.Equal("paid", mine.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Another_cooperatives_admin_is_refused_every_route_of_this_cooperative_before_anything_is_read_or_written()
    {
        var cooperative = Guid.NewGuid();
        var member = Guid.NewGuid();
        var elsewhere = host.Admin(Guid.NewGuid(), Guid.NewGuid());
        var own = host.Admin(cooperative, Guid.NewGuid());
        var root = $"/api/settlement/cooperatives/{cooperative}";

        var batches = await elsewhere.GetAsync(new Uri($"{root}/payout-batches", UriKind.Relative));
        var prepare = await elsewhere.PostAsJsonAsync($"{root}/payout-batches", new { minimumRupiah = 0 });
        var settings = await elsewhere.PutAsJsonAsync($"{root}/settings", new { holdingDays = 7 });
        var trial = await elsewhere.GetAsync(new Uri($"{root}/trial-balance", UriKind.Relative));
        var omzet = await elsewhere.GetAsync(new Uri($"{root}/reports/omzet?from=2026-01-01&to=2026-01-31", UriKind.Relative));
        var shu = await elsewhere.PostAsJsonAsync($"{root}/shu", new { year = 2026, jasaUsahaPercent = 50m, jasaModalPercent = 0m });
        var costs = await elsewhere.GetAsync(new Uri($"{root}/costs", UriKind.Relative));
        var recordCost = await elsewhere.PostAsJsonAsync($"{root}/costs", new { category = "rent", amountRupiah = 1_000, date = "2026-01-01" });
        var year = await elsewhere.GetAsync(new Uri($"{root}/reports/year?year=2026", UriKind.Relative));
        var accounts = await elsewhere.GetAsync(new Uri($"{root}/payout-accounts", UriKind.Relative));
        var propose = await elsewhere.PutAsJsonAsync($"{root}/members/{member}/payout-account", new { bank = "002", accountNumber = "0123-01-000123-56-7", accountName = "Siti" });
        var byMember = await host.Member(cooperative, member).GetAsync(new Uri($"{root}/trial-balance", UriKind.Relative));
        var ownBatches = await own.GetFromJsonAsync<JsonElement>($"{root}/payout-batches");

        Assert.All([batches, prepare, settings, trial, omzet, shu, accounts, costs, recordCost, year], r => Assert.Equal(System.Net.HttpStatusCode.Forbidden, r.StatusCode));
        // Proposing an account says nothing to another cooperative, not even that the member exists.
        Assert.Equal(System.Net.HttpStatusCode.NotFound, propose.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, byMember.StatusCode);
        Assert.Empty(ownBatches.EnumerateArray());
    }

    private async Task<List<string>> DaysAsync(Guid cooperative, string from, string to)
    {
        var report = await host.Admin(cooperative, Guid.NewGuid())
            .GetFromJsonAsync<JsonElement>($"/api/settlement/cooperatives/{cooperative}/reports/omzet?from={from}&to={to}&by=day");
        return report.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("key").GetString()!).ToList();
    }
}

/// <summary>Settlement keeps its own directory of cooperatives, fed by Catalog like Orders' merchants, but apart from them.</summary>
public sealed class SettlementCooperativeDirectoryTests
{
    [Fact]
    public async Task A_cooperative_registered_and_renamed_in_Catalog_reaches_Settlements_directory_in_Jakarta_time()
    {
        var scope = await TestScope.CreateAsync();
        await using var services = await CatalogAndOrders.StartAsync(scope);

        var cooperative = await services.RegisterCooperativeAsync("koperasi-waktu");
        var admin = services.Catalog.CreateClient().WithToken(TestTokens.CooperativeAdmin(cooperative.Id));
        (await admin.PutAsJsonAsync($"/api/catalog/cooperatives/{cooperative.Id}/name", new { name = "Koperasi Waktu Indonesia Barat" })).EnsureSuccessStatusCode();

        var known = await Eventually.GetAsync(
            async () =>
            {
                await using var orders = services.Orders.CreateScope();
                return await orders.ServiceProvider.GetRequiredService<SettlementDbContext>().Cooperatives.AsNoTracking()
                    .FirstOrDefaultAsync(c => c.CooperativeId == cooperative.Id && c.Revision > 0);
            },
            c => c is not null,
            because: "Settlement to learn of the cooperative and its update");
        Assert.Equal("Asia/Jakarta", known!.TimeZone);
    }
}
