using System.Text.RegularExpressions;
using Marketplace.ServiceDefaults.Errors;

namespace Marketplace.Catalog.Products;

/// <summary>
/// Checks the permit numbers printed on packaged food. Only what is known for certain is checked: a
/// P-IRT (SPP-IRT) number has 15 or more digits, the first naming the packaging (1 to 8) and the next two
/// the food type; the meaning of the rest is unconfirmed and not checked.
/// </summary>
public static partial class PermitNumbers
{
    public static string? NormalizePirt(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var digits = PirtDigits(value);
        if (digits.Length < 15)
        {
            throw new DomainException("A P-IRT number has at least 15 digits, e.g. P-IRT No. 2020235010123-26.", "invalid_pirt");
        }

        if (digits[0] is < '1' or > '8')
        {
            throw new DomainException("A P-IRT number starts with its packaging digit, 1 to 8.", "invalid_pirt");
        }

        return value.Trim();
    }

    /// <summary>The packaging the P-IRT number's first digit names.</summary>
    public static string PirtPackaging(string pirt) => PirtDigits(pirt)[0] switch
    {
        '1' => "kaca",
        '2' => "plastik",
        '3' => "karton/kertas",
        '4' => "kaleng",
        '5' => "aluminium foil",
        '6' => "lainnya",
        '7' => "komposit",
        _ => "ganda",
    };

    /// <summary>The two-digit food type code, e.g. 02 for processed dried fish such as crackers.</summary>
    public static string PirtFoodType(string pirt) => PirtDigits(pirt).Substring(1, 2);

    public static string? NormalizeBpom(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var trimmed = value.Trim().ToUpperInvariant();
        if (!BpomPattern().IsMatch(trimmed))
        {
            throw new DomainException("A BPOM number looks like BPOM RI MD 123456789012 (MD for local, ML for imported food).", "invalid_bpom");
        }

        return trimmed;
    }

    public static string? NormalizeHalal(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var trimmed = value.Trim().ToUpperInvariant();
        if (!HalalPattern().IsMatch(trimmed))
        {
            throw new DomainException("A halal certificate number has 6 to 40 letters and digits, e.g. ID35110000123450923.", "invalid_halal");
        }

        return trimmed;
    }

    private static string PirtDigits(string value)
    {
        // "P-IRT No." carries no digits, so every digit in the text belongs to the number.
        return NonDigits().Replace(value, string.Empty);
    }

    [GeneratedRegex("[^0-9]")]
    private static partial Regex NonDigits();

    [GeneratedRegex(@"^(BPOM\s+RI\s+)?M[DL]\s*\d{9,15}$")]
    private static partial Regex BpomPattern();

    [GeneratedRegex(@"^[A-Z0-9][A-Z0-9\-/. ]{4,38}[A-Z0-9]$")]
    private static partial Regex HalalPattern();
}
