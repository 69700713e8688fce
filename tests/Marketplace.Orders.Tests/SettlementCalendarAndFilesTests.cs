using Marketplace.Orders.Settlement;
using Marketplace.Orders.Settlement.Cooperatives;
using Marketplace.Orders.Settlement.Reporting;

namespace Marketplace.Orders.Tests;

/// <summary>A cooperative's days in its own time zone, and report files a spreadsheet cannot be tricked by.</summary>
public sealed class SettlementCalendarAndFilesTests
{
    [Fact]
    public void A_report_day_runs_from_midnight_to_midnight_where_the_cooperative_is()
    {
        var jakarta = CooperativeTimeZones.Find("Asia/Jakarta");
        var jayapura = CooperativeTimeZones.Find("Asia/Jayapura");

        var (start, end) = CooperativeCalendar.Days(new DateOnly(2026, 6, 1), new DateOnly(2026, 6, 30), jakarta);
        var (easternStart, _) = CooperativeCalendar.Days(new DateOnly(2026, 6, 1), new DateOnly(2026, 6, 1), jayapura);

        Assert.Equal(new DateTimeOffset(2026, 5, 31, 17, 0, 0, TimeSpan.Zero), start);
        Assert.Equal(new DateTimeOffset(2026, 6, 30, 17, 0, 0, TimeSpan.Zero), end);
        Assert.Equal(new DateTimeOffset(2026, 5, 31, 15, 0, 0, TimeSpan.Zero), easternStart);
        Assert.Equal(new DateTimeOffset(2025, 12, 31, 17, 0, 0, TimeSpan.Zero), CooperativeCalendar.Year(2026, jakarta).Start);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Mars/Olympus_Mons")]
    public void A_cooperative_not_known_yet_or_a_zone_this_machine_does_not_know_counts_in_Western_Indonesia_Time(string? id) =>
        Assert.Equal(TimeSpan.FromHours(7), CooperativeTimeZones.Find(id).GetUtcOffset(DateTimeOffset.UtcNow));

    [Fact]
    public void A_product_named_like_a_formula_stays_text_in_the_omzet_csv()
    {
        var csv = ReportFiles.OmzetCsv("product",
        [
            new OmzetRow("=HYPERLINK(\"http://x\")", 10_000, 1_000, 0, 10_000, 1),
            new OmzetRow("+62 Kerupuk", 5_000, 500, 0, 5_000, 1),
            new OmzetRow("Kerupuk, ikan", 5_000, 500, 0, 5_000, 1),
        ]);

        Assert.Equal(
            "product,gross_rupiah,fees_rupiah,refunded_rupiah,net_rupiah,units\n"
            + "\"'=HYPERLINK(\"\"http://x\"\")\",10000,1000,0,10000,1\n"
            + "\"'+62 Kerupuk\",5000,500,0,5000,1\n"
            + "\"Kerupuk, ikan\",5000,500,0,5000,1\n",
            csv);
    }
}
