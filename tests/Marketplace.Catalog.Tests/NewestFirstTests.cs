using Marketplace.Catalog.Search;

namespace Marketplace.Catalog.Tests;

/// <summary>When a search walks the newest products first, and how far (the costs behind it: docs/benchmarks.md).</summary>
public sealed class NewestFirstTests
{
    private static SearchText Text(long products, params long[] wordCounts) =>
        new("ignored", wordCounts.Select(n => new WordCount(n, n)).ToList(), products);

    [Fact]
    public void One_word_held_by_many_products_walks_only_as_far_as_the_page_needs_and_counts_nothing()
    {
        var walk = NewestFirst.For(Text(1_000_000, 72_000), take: 24, inStockOnly: false);

        Assert.NotNull(walk);
        Assert.Equal(0, walk.Pilot);
        // A margin over the page, to see which tier fills it; the vocabulary says there are more than MaxCount.
        Assert.Equal(50, walk.Enough);
        Assert.InRange(walk.Bound, 1_000, NewestFirst.MaxBound);
    }

    [Fact]
    public void In_stock_or_several_words_the_walk_counts_past_the_limit_itself_after_a_pilot()
    {
        var inStock = NewestFirst.For(Text(1_000_000, 72_000), take: 24, inStockOnly: true);
        var twoWords = NewestFirst.For(Text(1_000_000, 72_000, 72_000), take: 24, inStockOnly: false);

        foreach (var walk in new[] { inStock, twoWords })
        {
            Assert.NotNull(walk);
            Assert.Equal(ProductSearch.MaxCount + 1, walk.Enough);
            Assert.Equal(NewestFirst.PilotSize, walk.Pilot);
        }

        // The lists cost 72,000 x 0.21 µs + 3.5 ms: the walk stops where it would cost as much (0.7 µs a product), and its
        // pilot of 1,000 must find the matches common enough for 1.25 x 1,001 within that: at least 48.
        Assert.Equal(26_600, inStock!.Bound);
        Assert.Equal(48, inStock.PilotNeeded);
        // Two words' lists cost twice as much; the bound is the longest walk.
        Assert.Equal(NewestFirst.MaxBound, twoWords!.Bound);
        Assert.Equal(42, twoWords.PilotNeeded);
    }

    [Fact]
    public void Words_with_corrections_are_counted_by_their_commonest_forms_alone()
    {
        // "krupuk tengiri": each word stands for its corrections too; "tenggiri" alone is the most common of its three.
        var text = new SearchText(
            "(krupuk | kerupuk) & (tengiri | tenggiri | teri)",
            [new WordCount(72_000, 72_000, "kerupuk"), new WordCount(72_000, 143_000, "tenggiri")],
            1_000_000);

        var walk = NewestFirst.For(text, take: 24, inStockOnly: false);

        Assert.NotNull(walk);
        Assert.Equal("kerupuk & tenggiri", walk.Proof);
        Assert.Equal(50, walk.Enough);
        // Together expected in fewer than twice MaxCount products: no narrower query (the walk does not pay either).
        var rare = text with { Words = [new WordCount(40_000, 40_000, "abon"), new WordCount(40_000, 80_000, "tenggiri")] };
        var rareWalk = NewestFirst.For(rare, take: 24, inStockOnly: false);
        Assert.NotNull(rareWalk);
        Assert.Null(rareWalk.Proof);
        Assert.Equal(ProductSearch.MaxCount + 1, rareWalk.Enough);
        // No word stands for several: the search itself is no broader than its commonest forms.
        Assert.Null(NewestFirst.For(Text(1_000_000, 72_000, 72_000), take: 24, inStockOnly: false)!.Proof);
    }

    [Theory]
    // A word in 7 % of 100,000 products: its GIN list is short, the walk to 1,001 matches is not.
    [InlineData(100_000L, 7_000L, true)]
    // Rare words: read from the indexes.
    [InlineData(1_000_000L, 500L, false)]
    // A word the vocabulary does not know (new, or a prefix): nothing to judge by.
    [InlineData(1_000_000L, 0L, false)]
    // A table never analysed: its size is unknown.
    [InlineData(0L, 72_000L, false)]
    public void Searches_the_walk_does_not_pay_for_read_the_indexes(long products, long word, bool inStockOnly)
    {
        Assert.Null(NewestFirst.For(Text(products, word), take: 24, inStockOnly));
    }

    [Fact]
    public void Words_whose_lists_hold_no_more_than_the_limit_are_not_walked_to_count()
    {
        Assert.Null(NewestFirst.For(Text(1_500, 900), take: 24, inStockOnly: true));
        Assert.NotNull(NewestFirst.For(Text(1_500, 1_200), take: 24, inStockOnly: true));
    }

    [Fact]
    public void A_page_deeper_than_the_walk_counts_reads_the_indexes()
    {
        Assert.NotNull(NewestFirst.For(Text(1_000_000, 72_000, 72_000), take: 1_000, inStockOnly: false));
        Assert.Null(NewestFirst.For(Text(1_000_000, 72_000, 72_000), take: 1_008, inStockOnly: false));
    }
}
