using System.Globalization;
using System.Text;

namespace Marketplace.Web;

/// <summary>Clean, shareable product URLs: <c>/produk/{id}/{slug}</c>; the id alone (the kiosk's QR codes) works too.</summary>
public static class ProductLinks
{
    public static string Path(Guid id, string name) => $"{Paths.Product(id)}/{Slug(name)}";

    public static string Slug(string name)
    {
        var builder = new StringBuilder();
        foreach (var c in name.Normalize(NormalizationForm.FormD))
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                builder.Append(char.ToLowerInvariant(c));
            }
            else if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark && builder.Length > 0 && builder[^1] != '-')
            {
                builder.Append('-');
            }
        }

        return builder.ToString().Trim('-') is { Length: > 0 } slug ? slug : "produk";
    }
}
