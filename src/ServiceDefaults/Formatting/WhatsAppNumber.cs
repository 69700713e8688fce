using Marketplace.ServiceDefaults.Errors;
using PhoneNumbers;

namespace Marketplace.ServiceDefaults.Formatting;

/// <summary>
/// A phone number people reach on WhatsApp, from any country, stored in E.164 (<c>+6281234567890</c>,
/// <c>+447700900123</c>). A number written without its country code is Indonesian: 0812..., 812..., 62 812....
/// </summary>
public static class WhatsAppNumber
{
    public const string DefaultRegion = "ID";

    private static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();

    public static string? NormalizeOptional(string? value) =>
        string.IsNullOrWhiteSpace(value) ? null : Normalize(value);

    public static string Normalize(string value) =>
        TryNormalize(value) ?? throw new DomainException(
            "That is not a phone number: write it with its country code (+44 7700 900123), or an Indonesian number like 0812 3456 7890.",
            "invalid_whatsapp");

    /// <summary>The number in E.164, or null when it is not one.</summary>
    public static string? TryNormalize(string? value)
    {
        var text = (value ?? string.Empty).Trim();
        if (text.Length is 0 or > 40 || text.Any(c => !(char.IsAsciiDigit(c) || c is '+' or ' ' or '-' or '.' or '(' or ')' or '/')))
        {
            return null;
        }

        // Indonesians often write their own country code without the plus: "62 812 ...". Read that as +62 rather
        // than as a national number beginning with 62.
        var digits = new string(text.Where(char.IsAsciiDigit).ToArray());
        if (!text.StartsWith('+') && digits.StartsWith("628", StringComparison.Ordinal))
        {
            text = "+" + digits;
        }

        PhoneNumber number;
        try
        {
            number = Phones.Parse(text, DefaultRegion);
        }
        catch (NumberParseException)
        {
            return null;
        }

        return Acceptable(number) ? Phones.Format(number, PhoneNumberFormat.E164) : null;
    }

    /// <summary>
    /// Indonesian numbers must be real mobile numbers, as before. A foreign number needs only the right length for its
    /// country: the metadata of far-away numbering plans lags behind new ranges (and leaves out the UK's 07700 900...
    /// range), and a tourist must not be turned away at checkout for that.
    /// </summary>
    private static bool Acceptable(PhoneNumber number)
    {
        if (Phones.GetRegionCodeForCountryCode(number.CountryCode) == DefaultRegion)
        {
            return Phones.IsValidNumber(number)
                && Phones.GetNumberType(number) is PhoneNumberType.MOBILE or PhoneNumberType.FIXED_LINE_OR_MOBILE;
        }

        return Phones.IsPossibleNumberWithReason(number) == PhoneNumberUtil.ValidationResult.IS_POSSIBLE
            && Phones.GetRegionCodeForCountryCode(number.CountryCode) != "ZZ";
    }
}
