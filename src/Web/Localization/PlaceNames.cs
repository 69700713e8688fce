namespace Marketplace.Web.Localization;

/// <summary>Places as members write them, said in the reader's language.</summary>
public static class PlaceNames
{
    /// <summary>"Desa Binor" as members write it, or "Binor" alone: never "desa Desa Binor".</summary>
    public static string Village(Lang lang, string village)
    {
        ArgumentNullException.ThrowIfNull(lang);
        ArgumentNullException.ThrowIfNull(village);
        var name = village.StartsWith("desa ", StringComparison.OrdinalIgnoreCase) ? village[5..].Trim() : village.Trim();
        return lang.T($"Desa {name}", $"{name} village");
    }

    /// <summary>A day of the week in the reader's language ("Senin", "Monday").</summary>
    public static string Day(Lang lang, DayOfWeek day)
    {
        ArgumentNullException.ThrowIfNull(lang);
        return lang.English ? day.ToString() : System.Globalization.CultureInfo.GetCultureInfo("id-ID").DateTimeFormat.GetDayName(day);
    }

    /// <summary>A text cut for a meta description or a preview: at most 160 characters, at a word where one is near.</summary>
    public static string Shorten(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (text.Length <= 160)
        {
            return text;
        }

        var cut = text[..157];
        var space = cut.LastIndexOf(' ');
        return (space > 120 ? cut[..space] : cut).TrimEnd(',', '.', ';', ':') + "…";
    }
}
