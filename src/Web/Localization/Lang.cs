using System.Globalization;
using Marketplace.ServiceDefaults.Formatting;

namespace Marketplace.Web.Localization;

/// <summary>
/// The page's language: Bahasa Indonesia unless the shopper chose English (a cookie set by the switch on every
/// page). Pages carry both texts side by side, <c>T("Keranjang", "Basket")</c>, so a missing translation is
/// visible in the page's own source.
/// </summary>
public sealed class Lang(IHttpContextAccessor accessor)
{
    public const string Cookie = "web.lang";

    public bool English { get; } = accessor.HttpContext?.Request.Cookies[Cookie] == "en";

    public string Code => English ? "en" : "id";

    public string T(string indonesian, string english) => English ? english : indonesian;

    public string Name(string nameId, string? nameEn) => English && !string.IsNullOrWhiteSpace(nameEn) ? nameEn : nameId;

    public string Date(DateOnly date) => date.ToString("d MMM yyyy", Culture);

    /// <summary>A month by its name, as in "Des 2026" or "Dec 2026".</summary>
    public string Month(DateOnly firstDay) => firstDay.ToString("MMM yyyy", Culture);

    /// <summary>A moment in the zone of the cooperative it concerns (its record's IANA id); the default zone without one.</summary>
    public string Date(DateTimeOffset at, string? timeZone = null)
    {
        var local = LocalTime.Of(at, timeZone);
        return local.At.ToString("d MMM yyyy HH:mm", Culture) + " " + local.Label;
    }

    private CultureInfo Culture => English ? CultureInfo.GetCultureInfo("en-GB") : CultureInfo.GetCultureInfo("id-ID");

    public string Category(string code) => Categories.TryGetValue(code, out var names) ? T(names.Id, names.En) : code;

    public static readonly IReadOnlyDictionary<string, (string Id, string En)> Categories = new Dictionary<string, (string, string)>
    {
        ["kerupuk"] = ("Kerupuk", "Crackers"),
        ["camilan"] = ("Camilan olahan", "Processed snacks"),
        ["hasil-laut-kering"] = ("Hasil laut kering", "Dried seafood"),
        ["minuman"] = ("Minuman", "Drinks"),
        ["kerajinan"] = ("Kerajinan", "Crafts"),
        ["batik"] = ("Batik", "Batik"),
        ["lainnya"] = ("Lainnya", "Other"),
    };

    /// <summary>What Catalog's compliance flags on a product mean, for the admin who reviews it.</summary>
    public string ComplianceFlag(string flag) => flag switch
    {
        "halal_not_certified" => T("Belum bersertifikat halal (wajib untuk pangan UMKM sejak 17 Oktober 2026)",
            "No halal certificate (required for small businesses' food since 17 October 2026)"),
        "halal_expired" => T("Sertifikat halal sudah kedaluwarsa", "The halal certificate has expired"),
        "permit_missing" => T("Tidak ada izin edar (P-IRT atau BPOM)", "No food permit (P-IRT or BPOM)"),
        "pirt_expired" => T("Izin P-IRT sudah kedaluwarsa", "The P-IRT permit has expired"),
        _ => T("Perlu diperiksa", "Needs checking"),
    };

}
