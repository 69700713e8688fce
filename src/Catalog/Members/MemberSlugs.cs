using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Marketplace.Catalog.Data;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Catalog.Members;

/// <summary>
/// Makers' page addresses: plain ASCII made from the name, so a link survives being typed, read aloud or pasted into
/// WhatsApp ("Siti Aminah" becomes <c>siti-aminah</c>, "Bu Ratna (Rengginang)" <c>bu-ratna-rengginang</c>); a name
/// already taken gets the next free number (<c>siti-aminah-2</c>).
/// </summary>
public static partial class MemberSlugs
{
    public const int MaxLength = 60;

    /// <summary>What a name with no Latin letter or digit at all becomes before its number.</summary>
    public const string Fallback = "pembuat";

    /// <summary>The slug a name asks for, before any clash: lowercase ASCII letters and digits with single hyphens.</summary>
    public static string FromName(string? name)
    {
        var builder = new StringBuilder();
        // FormKD splits accents off their letters and ligatures and full-width forms into plain ones ("é" → "e", "ｆ" → "f").
        foreach (var c in (name ?? string.Empty).Normalize(NormalizationForm.FormKD))
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                builder.Append(char.ToLowerInvariant(c));
            }
            else if (c == '\'' || c == '\u2019' || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                // An apostrophe joins its word ("Ma'ruf" → "maruf"); an accent is dropped from its letter.
            }
            else if (builder.Length > 0 && builder[^1] != '-')
            {
                builder.Append('-');
            }
        }

        var slug = builder.ToString().Trim('-');
        // Room for "-999" after it, cut at a word's end where one is near.
        const int room = MaxLength - 4;
        if (slug.Length > room)
        {
            slug = slug[..room];
            var lastHyphen = slug.LastIndexOf('-');
            slug = (lastHyphen > room / 2 ? slug[..lastHyphen] : slug).Trim('-');
        }

        return slug.Length >= 2 ? slug : Fallback;
    }

    public static bool IsValid(string? slug) => slug is not null && slug.Length <= MaxLength && SlugPattern().IsMatch(slug);

    /// <summary>
    /// The first of <c>base</c>, <c>base-2</c>, <c>base-3</c>... that no member has, counting members added in this unit of
    /// work but not saved yet (the demo seeder adds several at once). Two makers of the same name joining in the same instant
    /// both pick the same one: the unique index refuses the second save, and her message is retried, finding the next.
    /// </summary>
    public static async Task<string> FreeAsync(CatalogDbContext db, string? name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var wanted = FromName(name);
        var prefix = wanted + "-";
        var taken = (await db.Members.AsNoTracking()
                .Where(m => m.Slug == wanted || m.Slug.StartsWith(prefix))
                .Select(m => m.Slug)
                .ToListAsync(cancellationToken))
            .Concat(db.Members.Local.Select(m => m.Slug))
            .ToHashSet(StringComparer.Ordinal);
        return Pick(wanted, taken);
    }

    /// <summary>The first free one of <paramref name="wanted"/>, <c>wanted-2</c>, <c>wanted-3</c>...</summary>
    public static string Pick(string wanted, IReadOnlySet<string> taken)
    {
        ArgumentNullException.ThrowIfNull(taken);
        if (!taken.Contains(wanted))
        {
            return wanted;
        }

        for (var n = 2; ; n++)
        {
            var candidate = $"{wanted}-{n.ToString(CultureInfo.InvariantCulture)}";
            if (!taken.Contains(candidate))
            {
                return candidate;
            }
        }
    }

    [GeneratedRegex("^[a-z0-9]+(?:-[a-z0-9]+)*$")]
    private static partial Regex SlugPattern();
}
