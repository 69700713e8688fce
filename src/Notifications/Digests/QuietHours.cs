using Marketplace.ServiceDefaults.Formatting;

namespace Marketplace.Notifications.Digests;

/// <summary>
/// Members and admins are not woken for news that can wait: what would reach them between 21:00 and 06:00 in their
/// cooperative's time zone waits for 06:00.
/// </summary>
public static class QuietHours
{
    public const int StartHour = 21;

    public const int EndHour = 6;

    /// <summary><paramref name="at"/> itself outside the quiet hours; else the 06:00 that ends them, in the zone.</summary>
    public static DateTimeOffset Respect(DateTimeOffset at, string? zoneId)
    {
        var zone = LocalTime.Zone(zoneId);
        var local = TimeZoneInfo.ConvertTime(at, zone);
        if (local.Hour is >= EndHour and < StartHour)
        {
            return at;
        }

        var morning = (local.Hour >= StartHour ? local.Date.AddDays(1) : local.Date).AddHours(EndHour);
        return new DateTimeOffset(morning, zone.GetUtcOffset(morning));
    }
}
