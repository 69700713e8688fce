using System.Globalization;

namespace Marketplace.Notifications.Cooperatives;

/// <summary>
/// Whose kiosk, where it is and when it is open, as every shopper message says them. Where the cooperative has not said
/// them, the words send her to her order's page (which offers to ask the cooperative on WhatsApp): a template parameter
/// can never be empty, WhatsApp refuses the message for good.
/// </summary>
public static class KioskWords
{
    public static string Name(KnownCooperative? cooperative, CultureInfo culture) =>
        cooperative?.Name is { Length: > 0 } name ? name : English(culture) ? "the cooperative" : "koperasi";

    public static string Location(KnownCooperative? cooperative, CultureInfo culture) =>
        cooperative?.KioskLocation ?? (English(culture) ? "ask for the way from your order page" : "tanyakan lokasinya lewat halaman pesanan");

    /// <param name="at">When the hours are told (a zone's name can change with the season).</param>
    public static string Hours(KnownCooperative? cooperative, DateTimeOffset at, CultureInfo culture) =>
        cooperative is { KioskOpeningHours.Count: > 0 }
            ? KioskHours.Describe(cooperative.KioskOpeningHours, cooperative.TimeZone, at, culture)
            : English(culture) ? "ask from your order page" : "tanyakan lewat halaman pesanan";

    private static bool English(CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(culture);
        return culture.TwoLetterISOLanguageName == "en";
    }
}
