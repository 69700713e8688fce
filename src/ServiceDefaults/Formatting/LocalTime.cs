using System.Collections.Concurrent;
using System.Globalization;

namespace Marketplace.ServiceDefaults.Formatting;

/// <summary>An instant as it reads at one place: the local date and time, and the zone's everyday name (WIB).</summary>
public readonly record struct LocalMoment(DateTimeOffset At, string Label)
{
    public DateOnly Date => DateOnly.FromDateTime(At.DateTime);
}

/// <summary>
/// Turns an instant and a cooperative's time zone (an IANA id from her record) into her local date and time. Where no
/// cooperative is at hand, the default is Pantai Binor's: East Java keeps Western Indonesia Time.
/// </summary>
public static class LocalTime
{
    public const string DefaultZone = "Asia/Jakarta";

    private static readonly ConcurrentDictionary<string, TimeZoneInfo> Zones = new(StringComparer.Ordinal);

    /// <summary>Indonesia's three zones by the names people use; the others by their offset.</summary>
    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        ["Asia/Jakarta"] = "WIB",
        ["Asia/Pontianak"] = "WIB",
        ["Asia/Makassar"] = "WITA",
        ["Asia/Jayapura"] = "WIT",
    };

    public static LocalMoment Of(DateTimeOffset instant, string? zoneId = null)
    {
        var (id, zone) = Find(zoneId);
        var local = TimeZoneInfo.ConvertTime(instant, zone);
        return new LocalMoment(local, Labels.TryGetValue(id, out var label) ? label : Offset(local.Offset));
    }

    /// <summary>The local date at <paramref name="now"/>: permits expire, pickup days and reports run by it.</summary>
    public static DateOnly Today(DateTimeOffset now, string? zoneId = null) => Of(now, zoneId).Date;

    /// <summary>The zone of an IANA id, cached; an unknown or missing id reads as the default.</summary>
    public static TimeZoneInfo Zone(string? zoneId) => Find(zoneId).Zone;

    /// <summary>An unknown or missing zone id reads as the default: a date a few hours off beats a page that fails.</summary>
    private static (string Id, TimeZoneInfo Zone) Find(string? zoneId)
    {
        var id = string.IsNullOrWhiteSpace(zoneId) ? DefaultZone : zoneId;
        if (Zones.TryGetValue(id, out var cached))
        {
            return (id, cached);
        }

        if (TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone))
        {
            return (id, Zones.GetOrAdd(id, zone));
        }

        return id == DefaultZone ? throw new TimeZoneNotFoundException($"The time zone {DefaultZone} is not installed.") : Find(DefaultZone);
    }

    private static string Offset(TimeSpan offset) => string.Create(CultureInfo.InvariantCulture,
        $"UTC{(offset < TimeSpan.Zero ? '-' : '+')}{Math.Abs(offset.Hours)}{(offset.Minutes == 0 ? "" : $":{Math.Abs(offset.Minutes):00}")}");
}
