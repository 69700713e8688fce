using Marketplace.Contracts.Catalog;
using Marketplace.Orders.Sellables;
using Marketplace.ServiceDefaults.Formatting;

namespace Marketplace.Orders.Tests;

/// <summary>Whether a maker is away is judged by her cooperative's calendar day, as checkout judges it (the kiosk's zone).</summary>
public sealed class MemberHolidayTests
{
    private static readonly Guid Member = Guid.NewGuid();

    [Theory]
    // The last day away, 24 December, ends at midnight in Probolinggo (WIB, UTC+7): 16:59:59 UTC is still 23:59:59 there.
    [InlineData("2026-12-24T16:59:59Z", "Asia/Jakarta", true)]
    [InlineData("2026-12-24T17:00:00Z", "Asia/Jakarta", false)]
    // The first day, 20 December, begins at 17:00 UTC the day before.
    [InlineData("2026-12-19T16:59:59Z", "Asia/Jakarta", false)]
    [InlineData("2026-12-19T17:00:00Z", "Asia/Jakarta", true)]
    // A cooperative in Bali (WITA, UTC+8) is an hour ahead: its 25 December has begun while Java's 24th has an hour left.
    [InlineData("2026-12-24T16:00:00Z", "Asia/Makassar", false)]
    [InlineData("2026-12-24T16:00:00Z", "Asia/Jakarta", true)]
    public void A_maker_is_away_from_her_first_day_to_her_last_inclusive_in_her_cooperatives_calendar(string utc, string zone, bool away)
    {
        var holiday = MemberHoliday.For(Member);
        holiday.Apply(Snapshot(2, new DateOnly(2026, 12, 20), new DateOnly(2026, 12, 24)));

        var today = LocalTime.Today(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture), zone);

        Assert.Equal(away, holiday.IsAwayOn(today));
    }

    [Fact]
    public void An_older_snapshot_arriving_late_does_not_bring_back_a_holiday_she_ended()
    {
        var holiday = MemberHoliday.For(Member);
        Assert.True(holiday.Apply(Snapshot(3, null, null)));

        Assert.False(holiday.Apply(Snapshot(2, new DateOnly(2026, 12, 20), new DateOnly(2026, 12, 24))));
        Assert.False(holiday.IsAwayOn(new DateOnly(2026, 12, 22)));
    }

    private static MemberUpdated Snapshot(long revision, DateOnly? from, DateOnly? until) =>
        new(Member, Guid.NewGuid(), "Bu Sri", string.Empty, "active", revision, DateTimeOffset.UtcNow, from, until);
}
