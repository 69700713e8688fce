using System.Globalization;
using System.Text;
using Marketplace.Contracts.Catalog;
using Marketplace.ServiceDefaults.Formatting;

namespace Marketplace.Notifications.Cooperatives;

/// <summary>
/// A kiosk's week on one line, as people write it on a sign: "Senin-Jumat 08.00-16.00, Sabtu 08.00-12.00 WIB". One line
/// because WhatsApp refuses a template parameter with a line break.
/// </summary>
public static class KioskHours
{
    /// <summary>The week as Indonesians count it, from Monday.</summary>
    private static readonly DayOfWeek[] Week =
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday, DayOfWeek.Sunday];

    /// <param name="at">When the hours are told: a zone's name (its offset, outside Indonesia) can change with the season.</param>
    public static string Describe(IReadOnlyList<OpeningHours> hours, string? timeZone, DateTimeOffset at, CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(hours);
        ArgumentNullException.ThrowIfNull(culture);
        var byDay = hours.GroupBy(h => h.Day).ToDictionary(g => g.Key, g => g.First());
        var time = culture.Name.StartsWith("id", StringComparison.Ordinal) ? "HH.mm" : "HH:mm";
        var parts = new List<string>();
        for (var i = 0; i < Week.Length;)
        {
            if (!byDay.TryGetValue(Week[i], out var open))
            {
                i++;
                continue;
            }

            // Days in a row with the same hours read as one span.
            var last = i;
            while (last + 1 < Week.Length && byDay.TryGetValue(Week[last + 1], out var next) && (next.Opens, next.Closes) == (open.Opens, open.Closes))
            {
                last++;
            }

            var days = new StringBuilder(culture.DateTimeFormat.GetDayName(Week[i]));
            if (last > i)
            {
                days.Append('-').Append(culture.DateTimeFormat.GetDayName(Week[last]));
            }

            parts.Add($"{days} {open.Opens.ToString(time, culture)}-{open.Closes.ToString(time, culture)}");
            i = last + 1;
        }

        return $"{string.Join(", ", parts)} {LocalTime.Of(at, timeZone).Label}";
    }
}
