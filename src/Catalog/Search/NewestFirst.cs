namespace Marketplace.Catalog.Search;

/// <summary>
/// How a broad search finds its page without reading every match: down ix_products_newest (the newest products on
/// sale, with the name and maker tiers' vectors in the index), until it has seen <see cref="Enough"/> matches, at most
/// <see cref="Bound"/> products. Reading matches from a GIN index costs the length of each word's list, however few
/// are shown: about 20 ms for one word held by 7 % of a million products. The walk costs the products it passes, so it
/// pays when the words are common among the newest. When it does not find enough within its bound, the search reads
/// the GIN indexes as before: the choice changes how long a search takes, never what it finds.
/// </summary>
/// <param name="Pilot">Products walked first to judge how common the matches are among the newest (0: not needed).</param>
/// <param name="PilotNeeded">Matches the pilot must find for the walk to go on.</param>
/// <param name="Bound">The most products the walk passes.</param>
/// <param name="Enough">Matches (by name or maker) after which the walk stops.</param>
/// <param name="Proof">
/// A narrower query, when the walk does not count the matches itself: each word's commonest form only ("kerupuk &amp;
/// tenggiri" for "krupuk tengiri", which also finds "teri"). Its matches are some of the search's, and one GIN list per
/// word (not three) tells whether there are more than <see cref="ProductSearch.MaxCount"/>.
/// </param>
public sealed record NewestFirst(int Pilot, int PilotNeeded, int Bound, int Enough, string? Proof = null)
{
    // Costs measured on a million products (docs/benchmarks.md, "Broad searches walk the newest first"): a product
    // passed in the walk, an entry of a GIN list read into a bitmap, and the first 1,001 matches read with their tiers.
    private const double WalkMicroseconds = 0.7;
    private const double ListedMicroseconds = 0.21;
    private const double FirstMatchesMicroseconds = 3_500;

    /// <summary>The longest walk: about 20 ms here.</summary>
    public const int MaxBound = 30_000;

    public const int PilotSize = 1_000;

    /// <summary>
    /// The walk for a relevance search of <paramref name="text"/> whose page ends at match <paramref name="take"/>, or
    /// null when reading the GIN indexes is expected to cost less (or nothing is known of a word).
    /// </summary>
    public static NewestFirst? For(SearchText text, int take, bool inStockOnly)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Products <= 0 || text.Words.Count == 0 || text.Words.Any(w => w.AtLeast == 0))
        {
            return null;
        }

        // One word that more than MaxCount products hold has more than MaxCount matches: the walk needs only the page
        // (and a margin, to see which tier fills it). So do several words with corrections or completions when their
        // commonest forms together are expected to (and the narrower query confirms it). Otherwise the walk counts
        // to MaxCount + 1 itself.
        var single = text.Words.Count == 1;
        var proof = Narrower(text);
        var countKnown = (single && !inStockOnly && text.Words[0].AtLeast > ProductSearch.MaxCount) || proof is not null;
        var enough = countKnown ? Math.Min(ProductSearch.MaxCount + 1, Math.Max(2 * take, 50)) : ProductSearch.MaxCount + 1;
        if (take > enough)
        {
            // A deep page of an uncounted search: the walk could count, but not give the page.
            return null;
        }

        if (!countKnown && text.Words.Min(w => w.Listed) <= ProductSearch.MaxCount)
        {
            // The words' lists hold no more than MaxCount products: the walk could not count past it.
            return null;
        }

        // At best, the matches are as common among the newest as the rarest word is in the catalogue: exactly so for
        // one word; several words may be rarer together (or not: "rumput laut"), and "in stock" leaves some out, so
        // then a pilot walk checks before the rest.
        var density = Math.Min(1.0, text.Words.Min(w => (double)w.AtLeast) / text.Products);
        var listedCost = (text.Words.Sum(w => w.Listed) * ListedMicroseconds) + FirstMatchesMicroseconds;
        // The narrower query reads one list per word, and its first MaxCount + 1 matches.
        var proofCost = proof is null ? 0 : (text.Words.Sum(w => w.AtLeast) * ListedMicroseconds) + FirstMatchesMicroseconds;
        var walkCost = enough / density * WalkMicroseconds;
        if (walkCost + proofCost >= listedCost)
        {
            return null;
        }

        // A walk that finds its matches rarer than expected stops where it would have cost as much as the lists.
        var bound = (int)Math.Min(MaxBound, (listedCost - proofCost) / WalkMicroseconds);
        if (single && !inStockOnly)
        {
            return new NewestFirst(0, 0, bound, enough);
        }

        // The pilot's matches, projected over the bound, must promise enough with a margin.
        var pilot = Math.Min(PilotSize, bound);
        var needed = (int)Math.Ceiling(1.25 * enough * pilot / bound);
        return new NewestFirst(pilot, needed, bound, enough, proof);
    }

    /// <summary>
    /// Each word's commonest form, when some word stands for several and, were the words independent, these alone
    /// would be in more than twice MaxCount products; otherwise null.
    /// </summary>
    private static string? Narrower(SearchText text)
    {
        if (text.Words.Count < 2 || text.Words.All(w => w.Listed == w.AtLeast) || text.Words.Any(w => w.Commonest is null))
        {
            return null;
        }

        var expected = text.Words.Aggregate((double)text.Products, (n, w) => n * Math.Min(1.0, (double)w.AtLeast / text.Products));
        return expected > 2.0 * (ProductSearch.MaxCount + 1) ? string.Join(" & ", text.Words.Select(w => w.Commonest)) : null;
    }
}
