using System.Globalization;
using System.Text;

namespace Marketplace.Notifications.Templates;

/// <summary>Parameters as a WhatsApp template takes them, in the reader's language and formats.</summary>
public static class MessageText
{
    public static CultureInfo Culture(string language) => CultureInfo.GetCultureInfo(language == "en" ? "en-GB" : "id-ID");

    /// <summary>
    /// Text a person typed (a name, a reason), fit for a template parameter: one line (WhatsApp refuses line breaks, tabs
    /// and runs of spaces in one), at most <paramref name="maxLength"/> characters, never empty (refused too).
    /// </summary>
    public static string OneLine(string? text, int maxLength = 200, string empty = "-")
    {
        var line = string.Join(' ', (text ?? string.Empty).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (line.Length > maxLength)
        {
            line = line[..(maxLength - 1)].TrimEnd() + "…";
        }

        return line.Length == 0 ? empty : line;
    }

    /// <summary>A page of the marketplace, as a full link.</summary>
    public static string Link(Uri publicBaseUrl, string path) => new Uri(publicBaseUrl, path).ToString();

    /// <summary>
    /// A short list of names, the most first, with their quantities unless <paramref name="quantities"/> is false:
    /// "Kerupuk Ikan (3), Terasi (1) dan 2 lainnya".
    /// </summary>
    public static string Summary(IEnumerable<(string Name, int Quantity)> items, string language, bool quantities = true, int shown = 4)
    {
        var named = items
            .GroupBy(i => OneLine(i.Name, 60), StringComparer.Ordinal)
            .Select(g => (Name: g.Key, Quantity: g.Sum(i => i.Quantity)))
            .OrderByDescending(i => i.Quantity)
            .ThenBy(i => i.Name, StringComparer.Ordinal)
            .ToList();
        var text = new StringBuilder();
        foreach (var (name, quantity) in named.Take(shown))
        {
            text.Append(text.Length == 0 ? string.Empty : ", ").Append(quantities ? string.Create(CultureInfo.InvariantCulture, $"{name} ({quantity})") : name);
        }

        var more = named.Count - shown;
        if (more > 0)
        {
            text.Append(language == "en" ? string.Create(CultureInfo.InvariantCulture, $" and {more} more") : string.Create(CultureInfo.InvariantCulture, $" dan {more} lainnya"));
        }

        return OneLine(text.ToString(), 400);
    }
}
