using System.Globalization;

namespace Marketplace.ServiceDefaults.Formatting;

/// <summary>Indonesian rupiah as shoppers read it in both languages: <c>Rp 25.000</c>, whole rupiah, dot for thousands.</summary>
public static class Rupiah
{
    // Built by hand rather than from the id-ID culture, so the format does not depend on the machine's ICU data.
    private static readonly NumberFormatInfo Format = new()
    {
        NumberGroupSeparator = ".",
        NumberDecimalSeparator = ",",
        NumberGroupSizes = [3],
        NegativeSign = "-",
    };

    public static string Display(long amount) =>
        amount < 0 ? "-Rp " + (-amount).ToString("#,0", Format) : "Rp " + amount.ToString("#,0", Format);
}
