using Marketplace.ServiceDefaults.Errors;

namespace Marketplace.Orders.Merchants;

/// <summary>
/// An Indonesian taxpayer number (NPWP): the older 15 digits, or the 16 digits that replaced them in 2024 (a person's
/// NIK, or an organisation's new number). People type it with the dots and dash it is printed with, or without; it is
/// kept as digits only and shown in the form the tax office prints.
/// </summary>
public static class Npwp
{
    /// <summary>
    /// The NPWP's digits, or null when nothing was typed; a refusal at <paramref name="field"/> when it is not 15 or 16
    /// digits (separators allowed: dots, dashes, spaces).
    /// </summary>
    public static string? Normalize(string? typed, string field, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (string.IsNullOrWhiteSpace(typed))
        {
            return null;
        }

        var digits = new string([.. typed.Where(char.IsAsciiDigit)]);
        var onlySeparators = typed.All(c => char.IsAsciiDigit(c) || c is '.' or '-' or ' ');
        if (!onlySeparators || digits.Length is not (15 or 16))
        {
            errors.Add(field, "invalid_npwp", "An NPWP has 15 or 16 digits (dots and a dash may separate them).");
            return null;
        }

        return digits;
    }

    /// <summary>15 digits as <c>01.234.567.8-901.234</c>; 16 digits in groups of four, as the new number is read out.</summary>
    public static string Format(string digits)
    {
        ArgumentNullException.ThrowIfNull(digits);
        return digits.Length switch
        {
            15 => $"{digits[..2]}.{digits[2..5]}.{digits[5..8]}.{digits[8]}-{digits[9..12]}.{digits[12..]}",
            16 => $"{digits[..4]} {digits[4..8]} {digits[8..12]} {digits[12..]}",
            _ => digits,
        };
    }
}
