using System.Text.RegularExpressions;
using Marketplace.ServiceDefaults.Errors;

namespace Marketplace.ServiceDefaults.Formatting;

/// <summary>An Indonesian mobile number, stored as +62 followed by 8 to 12 digits.</summary>
public static partial class WhatsAppNumber
{
    public static string? NormalizeOptional(string? value) =>
        string.IsNullOrWhiteSpace(value) ? null : Normalize(value);

    public static string Normalize(string value)
    {
        var digits = NonDigits().Replace(value ?? string.Empty, string.Empty);
        if (digits.StartsWith('0'))
        {
            digits = "62" + digits[1..];
        }
        else if (digits.StartsWith('8'))
        {
            digits = "62" + digits;
        }

        if (!digits.StartsWith("628", StringComparison.Ordinal) || digits.Length is < 10 or > 14)
        {
            throw new DomainException("A WhatsApp number looks like 0812 3456 7890 or +62 812 3456 7890.", "invalid_whatsapp");
        }

        return "+" + digits;
    }

    [GeneratedRegex("[^0-9]")]
    private static partial Regex NonDigits();
}
