namespace Marketplace.ServiceDefaults.Formatting;

/// <summary>
/// Fields of a CSV file that a spreadsheet opens without running anything: a text starting with a formula character
/// (<c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab or carriage return) gets a leading apostrophe, so a product named
/// <c>=HYPERLINK(...)</c> shows as text instead of becoming a live link (OWASP's advice against CSV injection).
/// Every CSV the services write puts its text through here; numbers they format themselves.
/// </summary>
public static class Csv
{
    /// <summary>A text field, always quoted (a quote inside doubled), defused when it starts with a formula character.</summary>
    public static string Quoted(string? value) => "\"" + Defused(value).Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>A text field quoted only when it must be (a comma, quote or line break in it), defused like <see cref="Quoted"/>.</summary>
    public static string Field(string? value)
    {
        var text = Defused(value);
        return text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? Quoted(text) : text;
    }

    private static string Defused(string? value)
    {
        var text = value ?? string.Empty;
        return text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + text : text;
    }
}
