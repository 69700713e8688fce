using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Xml.Linq;
using Marketplace.Contracts.Catalog;
using Marketplace.Contracts.Orders;
using Marketplace.Orders.Settlement.Data;
using Marketplace.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests;

/// <summary>A member's laba and the cooperative's surplus, from the messages Orders and Catalog publish and the costs people record.</summary>
public sealed class LabaTests(SettlementHost host) : IClassFixture<SettlementHost>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_worked_laba_example_matches_the_hand_calculation_the_ledger_and_its_files()
    {
        var cooperative = Guid.NewGuid();
        var siti = Guid.NewGuid();
        var (kerupuk, terasi) = (Guid.NewGuid(), Guid.NewGuid());
        var (kerupukSize, terasiSize) = (Guid.NewGuid(), Guid.NewGuid());
        var now = DateTimeOffset.UtcNow;
        // Three orders of hers alone, without shipping, so each of the ledger's accounts is hers to compare.
        var (orderA, orderB, orderC) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var lineA = new SoldLine(Guid.NewGuid(), siti, kerupuk, kerupukSize, "kerupuk", "Kerupuk Tengiri", 4, 25_000, 100_000, 10m);
        var lineB = new SoldLine(Guid.NewGuid(), siti, terasi, terasiSize, "olahan-laut", "Terasi Udang", 3, 20_000, 60_000, 7.5m);
        var lineC = new SoldLine(Guid.NewGuid(), siti, kerupuk, kerupukSize, "kerupuk", "Kerupuk Tengiri", 2, 25_000, 50_000, 10m);
        await host.PublishAsync(new OrderPaid(orderA, cooperative, PaymentChannel.Card, "pi_a", [lineA], 0, 100_000, now), Guid.NewGuid());
        await host.PublishAsync(new OrderPaid(orderB, cooperative, PaymentChannel.Cash, null, [lineB], 0, 60_000, now), Guid.NewGuid());
        await host.PublishAsync(new OrderPaid(orderC, cooperative, PaymentChannel.Cash, null, [lineC], 0, 50_000, now), Guid.NewGuid());
        // One kerupuk of order A given back after hand-over (not restocked); order C cancelled: refunded and restocked.
        await host.PublishAsync(new OrderRefunded(orderA, cooperative, Guid.NewGuid(), RefundMethod.Card, [new RefundedLine(lineA.OrderLineId, siti, 1, 25_000)], 0, 25_000, now), Guid.NewGuid());
        await host.PublishAsync(new OrderRefunded(orderC, cooperative, Guid.NewGuid(), RefundMethod.Cash, [new RefundedLine(lineC.OrderLineId, siti, 2, 50_000)], 0, 50_000, now), Guid.NewGuid());

        // Catalog's costs: kerupuk at Rp 12.000 a unit; the terasi's batches: 2 units at Rp 9.000, 1 from a batch without a cost.
        var soldA = new StockSoldAtCost(orderA, cooperative, [new CostedLine(kerupukSize, kerupuk, siti, 4, 48_000, true)], now);
        var soldAId = Guid.NewGuid();
        await host.PublishAsync(soldA, soldAId);
        await host.PublishAsync(new StockSoldAtCost(orderB, cooperative, [new CostedLine(terasiSize, terasi, siti, 3, 18_000, false)], now), Guid.NewGuid());
        await host.PublishAsync(new StockSoldAtCost(orderC, cooperative, [new CostedLine(kerupukSize, kerupuk, siti, 2, 24_000, true)], now), Guid.NewGuid());
        await host.PublishAsync(new StockRestockedAtCost(orderC, cooperative, [new CostedLine(kerupukSize, kerupuk, siti, 2, 24_000, true)], now), Guid.NewGuid());
        // Delivered twice by the broker (same id), and once more published anew (another id): counted once.
        await host.PublishAsync(soldA, soldAId);
        var anew = Guid.NewGuid();
        await host.PublishAsync(soldA, anew);

        await Eventually.TrueAsync(async () => await host.EntriesAsync(cooperative) == 5, Patience, "the sales and refunds to be posted");
        await Eventually.TrueAsync(async () => await GoodsCostRowsAsync(cooperative) == 4, Patience, "the goods' costs to be recorded");
        await Eventually.TrueAsync(async () => await InboxAsync(anew) && await GoodsCostRowsAsync(cooperative) == 4, Patience, "the repeated deliveries to be handled");

        var her = host.Member(cooperative, siti);
        Assert.Equal(HttpStatusCode.Created, (await her.PostAsJsonAsync("/api/settlement/members/me/costs", Cost("packaging", 7_500, "Plastik dan label"))).StatusCode);
        var transport = await (await her.PostAsJsonAsync("/api/settlement/members/me/costs", Cost("transport", 10_000, "Ojek ke kios"))).Content.ReadFromJsonAsync<JsonElement>();
        var mistaken = await (await her.PostAsJsonAsync("/api/settlement/members/me/costs", Cost("other", 3_000, "salah catat"))).Content.ReadFromJsonAsync<JsonElement>();
        // The transport was Rp 12.000: corrected; the mistaken cost deleted with its reason. Neither is lost.
        var edited = await her.PutAsJsonAsync($"/api/settlement/members/me/costs/{transport.GetProperty("id").GetGuid()}", Cost("transport", 12_000, "Ojek ke kios (pp)"));
        var deleted = await her.PostAsJsonAsync($"/api/settlement/members/me/costs/{mistaken.GetProperty("id").GetGuid()}/delete", new { reason = "Dobel" });
        var deletedWithoutReason = await her.PostAsJsonAsync($"/api/settlement/members/me/costs/{transport.GetProperty("id").GetGuid()}/delete", new { reason = "" });
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, deletedWithoutReason.StatusCode);

        var month = LocalMonth(now);
        var report = await her.GetFromJsonAsync<JsonElement>($"/api/settlement/members/me/laba?month={month}");
        var totals = report.GetProperty("totals");
        long Of(JsonElement row, string name) => row.GetProperty(name).GetInt64();

        // By hand:
        // omzet 100.000 + 60.000 + 50.000 = 210.000
        // fee: A 10% of 100.000 = 10.000, 1 of 4 units back = 2.500 -> 7.500; B 7,5% of 60.000 = 4.500; C 5.000 all back -> 0: 12.000
        // refunds 25.000 + 50.000 = 75.000; net received 210.000 - 12.000 - 75.000 = 123.000
        // HPP 48.000 + 18.000 + 24.000 - 24.000 (restocked) = 66.000; other costs 7.500 + 12.000 = 19.500
        // laba 123.000 - 66.000 - 19.500 = 37.500; margin 37.500 / 210.000 = 17,857 % -> 17,9
        Assert.Equal(210_000, Of(totals, "omzetRupiah"));
        Assert.Equal(12_000, Of(totals, "feeRupiah"));
        Assert.Equal(75_000, Of(totals, "refundedRupiah"));
        Assert.Equal(123_000, Of(totals, "netRupiah"));
        Assert.Equal(66_000, Of(totals, "costOfGoodsRupiah"));
        Assert.Equal(19_500, Of(totals, "otherCostsRupiah"));
        Assert.Equal(37_500, Of(totals, "labaRupiah"));
        Assert.Equal(17.9m, totals.GetProperty("marginPercent").GetDecimal());
        Assert.False(totals.GetProperty("costOfGoodsComplete").GetBoolean());

        // Kerupuk: 150.000 omzet, fee 7.500, refunds 75.000, net 67.500, HPP 48.000 -> 19.500, 13,0 %.
        // Terasi: 60.000 omzet, fee 4.500, net 55.500, HPP 18.000 (incomplete) -> 37.500, 62,5 %.
        var products = report.GetProperty("products").EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!);
        Assert.Equal(2, products.Count);
        var kerupukRow = products["Kerupuk Tengiri"];
        var terasiRow = products["Terasi Udang"];
        Assert.Equal([150_000, 7_500, 75_000, 67_500, 48_000, 19_500], new[] { "omzetRupiah", "feeRupiah", "refundedRupiah", "netRupiah", "costOfGoodsRupiah", "labaRupiah" }.Select(n => Of(kerupukRow, n)));
        Assert.Equal(13.0m, kerupukRow.GetProperty("marginPercent").GetDecimal());
        Assert.True(kerupukRow.GetProperty("costOfGoodsComplete").GetBoolean());
        Assert.Equal([60_000, 4_500, 0, 55_500, 18_000, 37_500], new[] { "omzetRupiah", "feeRupiah", "refundedRupiah", "netRupiah", "costOfGoodsRupiah", "labaRupiah" }.Select(n => Of(terasiRow, n)));
        Assert.Equal(62.5m, terasiRow.GetProperty("marginPercent").GetDecimal());
        Assert.False(terasiRow.GetProperty("costOfGoodsComplete").GetBoolean());
        Assert.Equal(37_500, report.GetProperty("months").EnumerateArray().Single(m => m.GetProperty("month").GetString() == month).GetProperty("labaRupiah").GetInt64());

        // The report's omzet, fee, refunds and net are the ledger's postings (only she sold in this cooperative).
        var ledger = await LedgerAsync(cooperative, siti);
        Assert.Equal(ledger.Received, Of(totals, "omzetRupiah"));
        Assert.Equal(ledger.Fees, Of(totals, "feeRupiah"));
        Assert.Equal(ledger.Refunded, Of(totals, "refundedRupiah"));
        Assert.Equal(ledger.HerShare, Of(totals, "netRupiah"));

        // Her costs: the replaced and the deleted ones stay listed, and only the others count.
        var costs = await her.GetFromJsonAsync<JsonElement>($"/api/settlement/members/me/costs?month={month}");
        Assert.Equal(19_500, costs.GetProperty("totalRupiah").GetInt64());
        Assert.Equal(4, costs.GetProperty("costs").GetArrayLength());
        Assert.Contains(costs.GetProperty("costs").EnumerateArray(), c => c.GetProperty("deletedReason").GetString() == "Dobel");
        Assert.Contains(costs.GetProperty("costs").EnumerateArray(), c => c.GetProperty("deletedReason").GetString() == "replaced" && c.GetProperty("amountRupiah").GetInt64() == 10_000);

        // The files carry the report's figures, row for row.
        var csv = await her.GetStringAsync(new Uri($"/api/settlement/members/me/laba?month={month}&format=csv", UriKind.Relative));
        var xlsx = await her.GetByteArrayAsync(new Uri($"/api/settlement/members/me/laba?month={month}&format=xlsx", UriKind.Relative));
        string[][] expected = [.. report.GetProperty("products").EnumerateArray().Append(totals).Select(Figures)];
        var csvRows = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(r => r.Split(',')).ToList();
        Assert.Equal(expected, csvRows.Select(r => new[] { r[1], r[2], r[3], r[4], r[5], r[7], r[8], r[9], r[10] }).ToArray());
        Assert.Equal("\"Kerupuk Tengiri\"", csvRows[0][0]);
        var sheet = SheetRows(xlsx).Skip(1).ToList();
        // A spreadsheet keeps numbers, not how they were written: 13.0 is 13 there.
        static string Number(string text) => text.Length == 0 ? text : decimal.Parse(text, CultureInfo.InvariantCulture).ToString("0.##########", CultureInfo.InvariantCulture);
        Assert.Equal(expected.Select(r => r.Select(Number).ToArray()), sheet.Select(r => new[] { r[1], r[2], r[3], r[4], r[5], r[7], r[8], r[9], r[10] }.Select(Number).ToArray()));
        Assert.Equal("Kerupuk Tengiri", sheet[0][0]);
    }

    [Fact]
    public async Task The_SHU_is_shared_from_the_years_surplus_in_the_books_income_less_the_cooperatives_costs()
    {
        var cooperative = Guid.NewGuid();
        var (siti, ani) = (Guid.NewGuid(), Guid.NewGuid());
        var now = DateTimeOffset.UtcNow;
        var year = LocalTime(now).Year;
        // Siti sells Rp 2.000.000 at 10 %, Ani Rp 1.000.000 at 10 %, and Rp 500.000 of Siti's comes back: fees 300.000 - 50.000 = 250.000.
        var refundable = new SoldLine(Guid.NewGuid(), siti, Guid.NewGuid(), Guid.NewGuid(), "batik", "Batik", 1, 500_000, 500_000, 10m);
        var order = Guid.NewGuid();
        await host.PublishAsync(new OrderPaid(order, cooperative, PaymentChannel.Card, "pi_1", [
            new SoldLine(Guid.NewGuid(), siti, Guid.NewGuid(), Guid.NewGuid(), "batik", "Batik", 3, 500_000, 1_500_000, 10m), refundable], 0, 2_000_000, now), Guid.NewGuid());
        await host.PublishAsync(new OrderPaid(Guid.NewGuid(), cooperative, PaymentChannel.Cash, null, [
            new SoldLine(Guid.NewGuid(), ani, Guid.NewGuid(), Guid.NewGuid(), "kerupuk", "Kerupuk", 40, 25_000, 1_000_000, 10m)], 0, 1_000_000, now), Guid.NewGuid());
        await host.PublishAsync(new OrderRefunded(order, cooperative, Guid.NewGuid(), RefundMethod.Card, [new RefundedLine(refundable.OrderLineId, siti, 1, 500_000)], 0, 500_000, now), Guid.NewGuid());
        await Eventually.TrueAsync(async () => await host.EntriesAsync(cooperative) == 3, Patience, "the sales and the refund to be posted");
        var admin = host.Admin(cooperative, Guid.NewGuid());
        var today = LocalTime(now).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        // The cooperative's costs: rent 60.000 and wages 40.000; a cost typed twice is deleted, with its reason.
        (await admin.PostAsJsonAsync($"/api/settlement/cooperatives/{cooperative}/costs", new { category = "rent", amountRupiah = 60_000, date = today, note = "Sewa kios" })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync($"/api/settlement/cooperatives/{cooperative}/costs", new { category = "wages", amountRupiah = 40_000, date = today })).EnsureSuccessStatusCode();
        var twice = await (await admin.PostAsJsonAsync($"/api/settlement/cooperatives/{cooperative}/costs", new { category = "wages", amountRupiah = 40_000, date = today })).Content.ReadFromJsonAsync<JsonElement>();
        (await admin.PostAsJsonAsync($"/api/settlement/cooperatives/{cooperative}/costs/{twice.GetProperty("id").GetGuid()}/delete", new { reason = "Tercatat dua kali" })).EnsureSuccessStatusCode();
        // A member's own cost is hers, not the cooperative's.
        (await host.Member(cooperative, siti).PostAsJsonAsync("/api/settlement/members/me/costs", new { category = "packaging", amountRupiah = 99_000, date = today })).EnsureSuccessStatusCode();
        // Another cooperative's admin cannot record costs here.
        var stranger = await host.Admin(Guid.NewGuid(), Guid.NewGuid()).PostAsJsonAsync($"/api/settlement/cooperatives/{cooperative}/costs", new { category = "rent", amountRupiah = 1, date = today });
        // All mistakes at once, each at its field.
        var wrong = await admin.PostAsJsonAsync($"/api/settlement/cooperatives/{cooperative}/costs", new { category = "party", amountRupiah = 0, date = "2000-01-01" });

        var report = await admin.GetFromJsonAsync<JsonElement>($"/api/settlement/cooperatives/{cooperative}/reports/year?year={year}");
        var shu = await (await admin.PostAsJsonAsync($"/api/settlement/cooperatives/{cooperative}/shu", new
        {
            year,
            jasaUsahaPercent = 40m,
            jasaModalPercent = 25m,
            savings = new[] { new { memberId = siti, savingsRupiah = 100_000L }, new { memberId = ani, savingsRupiah = 300_000L } },
        })).Content.ReadFromJsonAsync<JsonElement>();
        long Total(Guid member) => shu.GetProperty("members").EnumerateArray().Single(m => m.GetProperty("memberId").GetGuid() == member).GetProperty("totalRupiah").GetInt64();

        Assert.Equal(HttpStatusCode.Forbidden, stranger.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        var fieldCodes = (await wrong.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("fieldCodes");
        Assert.Equal(["amountRupiah", "category", "date"], fieldCodes.EnumerateObject().Select(f => f.Name).Order());
        // By hand: income 250.000 (the ledger's fees), costs 60.000 + 40.000 = 100.000, surplus 150.000.
        Assert.Equal(250_000, report.GetProperty("incomeRupiah").GetInt64());
        Assert.Equal(100_000, report.GetProperty("costsRupiah").GetInt64());
        Assert.Equal(150_000, report.GetProperty("surplusRupiah").GetInt64());
        Assert.Equal(150_000, shu.GetProperty("surplusRupiah").GetInt64());
        // Pools: jasa usaha 40 % = 60.000, jasa modal 25 % = 37.500. Transactions: Siti 1.500.000, Ani 1.000.000 (2.500.000);
        // savings 100.000 and 300.000 (400.000).
        // Siti: 1.500.000/2.500.000 x 60.000 = 36.000 + 100.000/400.000 x 37.500 = 9.375 -> 45.375
        // Ani:  1.000.000/2.500.000 x 60.000 = 24.000 + 300.000/400.000 x 37.500 = 28.125 -> 52.125
        Assert.Equal(60_000, shu.GetProperty("jasaUsahaPoolRupiah").GetInt64());
        Assert.Equal(37_500, shu.GetProperty("jasaModalPoolRupiah").GetInt64());
        Assert.Equal(45_375, Total(siti));
        Assert.Equal(52_125, Total(ani));
        Assert.Equal(0, shu.GetProperty("unallocatedRupiah").GetInt64());

        // The books' fee account holds exactly the income reported.
        var trial = await admin.GetFromJsonAsync<JsonElement>($"/api/settlement/cooperatives/{cooperative}/trial-balance");
        Assert.Equal(-250_000, trial.EnumerateArray().Where(b => b.GetProperty("account").GetString() == "fees").Sum(b => b.GetProperty("balanceRupiah").GetInt64()));
    }

    [Fact]
    public async Task Goods_whose_product_has_no_sale_line_in_the_month_still_count_in_her_cost_of_goods()
    {
        var cooperative = Guid.NewGuid();
        var member = Guid.NewGuid();
        var order = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;
        // A line booked before the books kept products would not match Catalog's product id: its cost still counts.
        await host.PublishAsync(new OrderPaid(order, cooperative, PaymentChannel.Cash, null, [
            new SoldLine(Guid.NewGuid(), member, Guid.NewGuid(), Guid.NewGuid(), "kerupuk", "Keripik Tempe", 2, 10_000, 20_000, 10m)], 0, 20_000, now), Guid.NewGuid());
        await host.PublishAsync(new StockSoldAtCost(order, cooperative, [new CostedLine(Guid.NewGuid(), Guid.NewGuid(), member, 2, 8_000, true)], now), Guid.NewGuid());
        await Eventually.TrueAsync(async () => await GoodsCostRowsAsync(cooperative) == 1 && await host.EntriesAsync(cooperative) == 1, Patience, "the sale and its cost to be recorded");

        var report = await host.Member(cooperative, member).GetFromJsonAsync<JsonElement>($"/api/settlement/members/me/laba?month={LocalMonth(now)}");

        // 20.000 - 2.000 fee = 18.000 received; 8.000 of goods: 10.000 laba, 50,0 %.
        Assert.Equal(2, report.GetProperty("products").GetArrayLength());
        Assert.Equal(8_000, report.GetProperty("totals").GetProperty("costOfGoodsRupiah").GetInt64());
        Assert.Equal(10_000, report.GetProperty("totals").GetProperty("labaRupiah").GetInt64());
        Assert.Equal(50.0m, report.GetProperty("totals").GetProperty("marginPercent").GetDecimal());
    }

    private static object Cost(string category, long amount, string note) =>
        new { category, amountRupiah = amount, date = LocalTime(DateTimeOffset.UtcNow).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), note };

    private static DateOnly LocalTime(DateTimeOffset at) => Marketplace.ServiceDefaults.Formatting.LocalTime.Today(at);

    private static string LocalMonth(DateTimeOffset at) => LocalTime(at).ToString("yyyy-MM", CultureInfo.InvariantCulture);

    private static string[] Figures(JsonElement row) =>
    [
        .. new[] { "omzetRupiah", "feeRupiah", "refundedRupiah", "netRupiah", "costOfGoodsRupiah", "otherCostsRupiah", "labaRupiah" }
            .Select(n => row.GetProperty(n).GetInt64().ToString(CultureInfo.InvariantCulture)),
        row.GetProperty("marginPercent").ValueKind == JsonValueKind.Null ? string.Empty : row.GetProperty("marginPercent").GetDecimal().ToString("0.0", CultureInfo.InvariantCulture),
        row.GetProperty("units").GetInt32().ToString(CultureInfo.InvariantCulture),
    ];

    /// <summary>The first sheet's rows as text, read from the file's XML (shared or inline strings, numbers as written).</summary>
    private static List<string[]> SheetRows(byte[] xlsx)
    {
        using var zip = new ZipArchive(new MemoryStream(xlsx));
        XNamespace ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
        var shared = zip.GetEntry("xl/sharedStrings.xml") is { } entry
            ? XDocument.Load(entry.Open()).Descendants(ns + "si").Select(s => string.Concat(s.Descendants(ns + "t").Select(t => t.Value))).ToList()
            : [];
        var sheet = XDocument.Load(zip.GetEntry("xl/worksheets/sheet1.xml")!.Open());
        return sheet.Descendants(ns + "row").Select(row => row.Elements(ns + "c").Select(c =>
        {
            var type = (string?)c.Attribute("t");
            var value = c.Element(ns + "v")?.Value;
            return type switch
            {
                "s" => shared[int.Parse(value!, CultureInfo.InvariantCulture)],
                "inlineStr" => string.Concat(c.Descendants(ns + "t").Select(t => t.Value)),
                "str" => value ?? string.Empty,
                _ => value ?? string.Empty,
            };
        }).ToArray()).ToList();
    }

    private async Task<int> GoodsCostRowsAsync(Guid cooperative)
    {
        await using var scope = host.Orders.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<SettlementDbContext>().GoodsCosts.CountAsync(c => c.CooperativeId == cooperative);
    }

    private async Task<bool> InboxAsync(Guid messageId)
    {
        await using var scope = host.Orders.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SettlementDbContext>();
        return await db.Database.SqlQuery<int>($"SELECT count(*)::int AS \"Value\" FROM settlement.inbox_messages WHERE message_id = {messageId}").SingleAsync() > 0;
    }

    private async Task<(long Received, long Fees, long Refunded, long HerShare)> LedgerAsync(Guid cooperative, Guid member)
    {
        await using var scope = host.Orders.CreateScope();
        var lines = await scope.ServiceProvider.GetRequiredService<SettlementDbContext>().JournalLines.Where(l => l.CooperativeId == cooperative).ToListAsync();
        return (
            lines.Where(l => l.Account.StartsWith("received:", StringComparison.Ordinal)).Sum(l => l.AmountRupiah),
            -lines.Where(l => l.Account == "fees").Sum(l => l.AmountRupiah),
            -lines.Where(l => l.Account.StartsWith("refunds:", StringComparison.Ordinal)).Sum(l => l.AmountRupiah),
            -lines.Where(l => l.MemberId == member && (l.Account == "member:pending" || l.Account == "member:available")).Sum(l => l.AmountRupiah));
    }
}
