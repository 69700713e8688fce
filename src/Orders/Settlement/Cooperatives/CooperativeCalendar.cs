namespace Marketplace.Orders.Settlement.Cooperatives;

/// <summary>A cooperative's days and years as instants: a report's "June" is June where the cooperative is.</summary>
public static class CooperativeCalendar
{
    /// <summary>From the start of <paramref name="from"/> to the end of <paramref name="to"/>, local days, as UTC instants [start, end).</summary>
    public static (DateTimeOffset Start, DateTimeOffset End) Days(DateOnly from, DateOnly to, TimeZoneInfo zone) =>
        (StartOf(from, zone), StartOf(to.AddDays(1), zone));

    /// <summary>The cooperative's calendar year (the SHU's book year).</summary>
    public static (DateTimeOffset Start, DateTimeOffset End) Year(int year, TimeZoneInfo zone) =>
        Days(new DateOnly(year, 1, 1), new DateOnly(year, 12, 31), zone);

    /// <summary>The moment as the cooperative's clocks show it.</summary>
    public static DateTimeOffset Local(DateTimeOffset at, TimeZoneInfo zone) => TimeZoneInfo.ConvertTime(at, zone);

    private static DateTimeOffset StartOf(DateOnly day, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var midnight = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        // Midnight may not exist where clocks jump forward at midnight: the day then starts at the first valid moment.
        while (zone.IsInvalidTime(midnight))
        {
            midnight = midnight.AddMinutes(30);
        }

        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(midnight, zone), TimeSpan.Zero);
    }
}
