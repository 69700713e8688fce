using Marketplace.Notifications.Digests;
using Marketplace.Notifications.Templates;

namespace Marketplace.IntegrationTests;

/// <summary>The quiet hours and the digests' short lists, without I/O.</summary>
public sealed class QuietHoursTests
{
    [Theory]
    [InlineData("2026-12-01T20:59:00+07:00", "Asia/Jakarta", "2026-12-01T20:59:00+07:00")]
    [InlineData("2026-12-01T21:00:00+07:00", "Asia/Jakarta", "2026-12-02T06:00:00+07:00")]
    [InlineData("2026-12-01T23:59:00+07:00", "Asia/Jakarta", "2026-12-02T06:00:00+07:00")]
    [InlineData("2026-12-02T03:10:00+07:00", "Asia/Jakarta", "2026-12-02T06:00:00+07:00")]
    [InlineData("2026-12-02T06:00:00+07:00", "Asia/Jakarta", "2026-12-02T06:00:00+07:00")]
    // 20:30 in Jakarta is 21:30 in Makassar: a Sulawesi cooperative's members wait for their own morning.
    [InlineData("2026-12-01T20:30:00+07:00", "Asia/Makassar", "2026-12-02T06:00:00+08:00")]
    // The last day of the year rolls over into the next.
    [InlineData("2026-12-31T22:00:00+07:00", "Asia/Jakarta", "2027-01-01T06:00:00+07:00")]
    public void A_moment_in_the_quiet_hours_waits_for_six_in_the_morning_in_the_cooperatives_zone(string at, string zone, string expected) =>
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture),
            QuietHours.Respect(DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture), zone));

    [Fact]
    public void A_digests_list_names_the_most_first_and_counts_the_rest_in_her_language()
    {
        var items = new[] { ("Terasi", 1), ("Kerupuk Ikan", 2), ("Abon", 1), ("Kerupuk Ikan", 3), ("Batik\nTulis", 1), ("Petis", 1) };

        Assert.Equal("Kerupuk Ikan (5), Abon (1), Batik Tulis (1), Petis (1) dan 1 lainnya", MessageText.Summary(items, "id"));
        Assert.Equal("Kerupuk Ikan, Abon, Batik Tulis, Petis and 1 more", MessageText.Summary(items, "en", quantities: false));
    }
}
