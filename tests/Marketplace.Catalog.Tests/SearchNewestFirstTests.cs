using System.Diagnostics;
using Marketplace.Catalog.Search;
using Marketplace.Testing;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Marketplace.Catalog.Tests;

/// <summary>
/// A broad search walks the newest products first (see <see cref="NewestFirst"/>) instead of reading every match
/// from the GIN indexes: the walk must find what the indexes find, in the same order, on every page, and say there
/// are more only when there are.
/// </summary>
public sealed class SearchNewestFirstTests(CatalogHost catalog) : IClassFixture<CatalogHost>
{
    private static int _catalogues;

    private static string NewWord() => "lorjuk" + string.Concat(Guid.NewGuid().ToString("N").Where(char.IsAsciiLetter).Take(6));

    private sealed record Row(Guid Id, int Tier, DateTimeOffset PublishedAt, bool InStock);

    [Fact]
    public async Task A_broad_search_walked_newest_first_pages_through_the_same_order_as_the_indexes_give()
    {
        var (broad, maker, broadRows, makerRows) = await BroadCatalogueAsync();

        // Tier 2: the word in the name, 1: in the maker's name, 0: in the description only; the newest first within.
        // The last word typed may be unfinished: the makers' word it begins is found too.
        var expected = Ordered(broadRows.Concat(makerRows));
        var found = new List<Guid>();
        var plans = new List<string?>();
        for (var number = 1; ; number++)
        {
            var (page, plan) = await SearchAsync(broad, number, inStock: false);
            plans.Add(plan);
            found.AddRange(page.Items.Select(p => p.Id));
            Assert.Equal(ProductSearch.MaxCount, page.Total);
            Assert.True(page.TotalIsLowerBound);
            if (page.Items.Count < 48)
            {
                break;
            }
        }

        Assert.Equal(expected, found);
        // The first pages come from the walk; deeper ones, past what it sees, from the indexes.
        Assert.Equal("newest first, counted by vocabulary", plans[0]);
        Assert.Contains("matches first", plans);

        // A word only makers' names hold: the walk finds no name matches, so the page is the maker tier's newest.
        var (makerPage, makerPlan) = await SearchAsync(maker, 2, inStock: false);
        Assert.Equal("newest first, counted by vocabulary", makerPlan);
        Assert.Equal(Ordered(makerRows).Skip(48).Take(48), makerPage.Items.Select(p => p.Id));
        Assert.True(makerPage.TotalIsLowerBound);
    }

    [Fact]
    public async Task In_stock_the_walk_counts_the_matches_itself_and_gives_the_same_page()
    {
        var (broad, _, broadRows, _) = await BroadCatalogueAsync();
        var inStock = broadRows.Where(r => r.InStock).ToList();

        var (first, plan) = await SearchAsync(broad, 1, inStock: true);
        var (second, _) = await SearchAsync(broad, 2, inStock: true);

        Assert.Equal("newest first, counted by walk", plan);
        Assert.Equal(Ordered(inStock).Take(96), first.Items.Concat(second.Items).Select(p => p.Id));
        // More than MaxCount in stock match by name or maker: counted by the walk, not known from the vocabulary.
        Assert.True(inStock.Count(r => r.Tier > 0) > ProductSearch.MaxCount);
        Assert.True(first.TotalIsLowerBound);
    }

    [Fact]
    public async Task Fewer_matches_than_the_walk_needs_are_read_from_the_indexes_and_counted_exactly()
    {
        var (broad, _, broadRows, _) = await BroadCatalogueAsync();
        // Of the broad word's products, those in stock whose names say "lain" too: few, among many.
        var rare = broadRows.Where(r => r.Tier == 2 && r.InStock).Take(30).ToList();
        await catalog.InDbAsync(db => db.Database.ExecuteSqlRawAsync(
            "UPDATE catalog.products SET name_id = name_id || ' lainnya' WHERE id = ANY(@ids)", new NpgsqlParameter("ids", rare.Select(r => r.Id).ToArray())));

        var (page, plan) = await SearchAsync($"{broad} lainnya", 1, inStock: true);

        Assert.Equal("matches first", plan);
        Assert.Equal(Ordered(rare).Take(48), page.Items.Select(p => p.Id));
        Assert.Equal(rare.Count, page.Total);
        Assert.False(page.TotalIsLowerBound);
    }

    [Fact]
    public async Task Words_standing_for_several_are_counted_by_their_commonest_forms_and_walked_for_the_page()
    {
        var (broad, _, broadRows, makerRows) = await BroadCatalogueAsync();
        // "tas <broad>": the last word also stands for the makers' word it begins. Every product here says "tas".
        var expected = Ordered(broadRows.Concat(makerRows));

        var (first, plan) = await SearchAsync($"tas {broad}", 1, inStock: false);
        var (second, _) = await SearchAsync($"tas {broad}", 2, inStock: false);

        Assert.Equal("newest first, counted by narrower query", plan);
        Assert.Equal(expected.Take(96), first.Items.Concat(second.Items).Select(p => p.Id));
        Assert.Equal(ProductSearch.MaxCount, first.Total);
        Assert.True(first.TotalIsLowerBound);
    }

    [Fact]
    public async Task When_the_narrower_query_finds_no_more_than_the_limit_the_indexes_count_exactly()
    {
        // 10,000 products: "a" alone in 4,000, "b" alone in 4,000, both in the newest 900, and 1,100 with a word "b"
        // begins ("b" typed last stands for it too). Apart, the words promise more than twice MaxCount together; the
        // narrower query finds 900.
        var a = Letters();
        var b = Letters();
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(5 * Interlocked.Increment(ref _catalogues));
        var names = Enumerable.Range(0, 10_000).Select(i => i switch
        {
            < 4_000 => $"Tas {a}",
            < 8_000 => $"Tas {b}",
            < 9_100 => $"Tas {b}an",
            _ => $"Tas {a} {b}",
        }).ToArray();
        var ids = names.Select(_ => Guid.NewGuid()).ToArray();
        var published = names.Select((_, i) => start.AddMinutes(i)).ToArray();
        var cooperative = await catalog.NewCooperativeAsync();
        var member = await catalog.NewMemberAsync(cooperative.Id, "Ibu Wati Lestari");
        await catalog.InDbAsync(db => db.Database.ExecuteSqlRawAsync("DELETE FROM catalog.products"));
        await catalog.InDbAsync(db => db.Database.ExecuteSqlRawAsync(
            """
            INSERT INTO catalog.products (id, cooperative_id, member_id, maker_name, category, status, name_id, description_id,
                                          revision_status, seller_active, on_sale, created_at, updated_at, published_at, revision, min_price_rupiah, in_stock)
            SELECT t.id, @cooperative, @member, 'Ibu Wati Lestari', 'kerajinan', 'Published', t.name, 'Anyaman pandan.',
                   'None', true, true, t.published_at, t.published_at, t.published_at, 1, 50000, true
            FROM unnest(@ids, @names, @published) AS t(id, name, published_at)
            """,
            new NpgsqlParameter("cooperative", cooperative.Id),
            new NpgsqlParameter("member", member.Id),
            new NpgsqlParameter("ids", ids),
            new NpgsqlParameter("names", names),
            new NpgsqlParameter("published", published)));
        await catalog.InDbAsync(db => db.Database.ExecuteSqlRawAsync("ANALYZE catalog.products"));
        await Eventually.GetAsync(
            () => catalog.InDbAsync(db => db.Database.SqlQuery<int>($"SELECT count(*)::int AS \"Value\" FROM catalog.search_words WHERE word IN ({a}, {b}, {b + "an"})").SingleAsync()),
            known => known == 3,
            because: "the vocabulary to count the new words");
        // Precondition: the search is planned as a walk with a narrower query (if the costs change, change the data).
        var text = await catalog.InDbAsync(db => SearchVocabulary.ToTsQueryAsync(db, $"{a} {b}", CancellationToken.None));
        Assert.Equal($"{a} & {b}", NewestFirst.For(text!, 24, inStockOnly: false)?.Proof);

        var (page, plan) = await SearchAsync($"{a} {b}", 1, inStock: false);

        Assert.Equal("matches first, after a walk", plan);
        Assert.Equal(900, page.Total);
        Assert.False(page.TotalIsLowerBound);
        Assert.Equal(ids[9_100..].Reverse().Take(48), page.Items.Select(p => p.Id));
    }

    /// <summary>A word of random letters, unlike any other test's (so that no typo correction joins them).</summary>
    private static string Letters() => string.Concat(Guid.NewGuid().ToString("N").Select(c => (char)('g' + (c % 16))).Take(10));

    private static List<Guid> Ordered(IEnumerable<Row> rows) =>
        rows.OrderByDescending(r => r.Tier).ThenByDescending(r => r.PublishedAt).Select(r => r.Id).ToList();

    /// <summary>A page, with how it was found: the plan and, for a walk, what showed there are more than MaxCount.</summary>
    private async Task<(ProductPage Page, string? Plan)> SearchAsync(string text, int page, bool inStock)
    {
        using var activity = new Activity("search test").Start();
        var query = new SearchQuery(text, null, null, null, null, null, false, inStock, null, page, 48);
        var found = await catalog.InDbAsync(db => ProductSearch.RunAsync(db, query, DateOnly.FromDateTime(DateTime.UtcNow), CancellationToken.None, TimeSpan.FromSeconds(10)));
        var plan = activity.GetTagItem("search.plan") as string;
        return (found, activity.GetTagItem("search.counted_by") is string counted ? $"{plan}, counted by {counted}" : plan);
    }

    /// <summary>
    /// 2,500 products holding one word (1,750 by name, 250 by maker, 500 by description; three in four in stock), and
    /// older than them 1,100 whose makers' names hold another; the vocabulary refreshed and the table analysed, as a
    /// large catalogue has them.
    /// </summary>
    private async Task<(string Broad, string Maker, List<Row> BroadRows, List<Row> MakerRows)> BroadCatalogueAsync()
    {
        var broad = NewWord();
        // The makers' word begins with the broad one: a search ending in the broad word also finds it, as typed unfinished.
        var maker = broad + "an";
        var cooperative = await catalog.NewCooperativeAsync();
        var member = await catalog.NewMemberAsync(cooperative.Id, "Ibu Wati Lestari");
        // Each test's products newer than the last test's: its own are the newest the walk meets.
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(5 * Interlocked.Increment(ref _catalogues));
        var makerRows = Enumerable.Range(0, 1100).Select(i => new Row(Guid.NewGuid(), 1, start.AddMinutes(i), true)).ToList();
        var broadRows = Enumerable.Range(0, 2500)
            .Select(i => new Row(Guid.NewGuid(), (i % 10) switch { < 7 => 2, 7 => 1, _ => 0 }, start.AddMinutes(2000 + i), i % 4 != 0))
            .ToList();
        // The walk's choice depends on how many products there are: each test's catalogue alone.
        await catalog.InDbAsync(db => db.Database.ExecuteSqlRawAsync("DELETE FROM catalog.products"));
        await catalog.InDbAsync(db => db.Database.ExecuteSqlRawAsync(
            """
            INSERT INTO catalog.products (id, cooperative_id, member_id, maker_name, category, status, name_id, description_id,
                                          revision_status, seller_active, on_sale, created_at, updated_at, published_at, revision, min_price_rupiah, in_stock)
            SELECT t.id, @cooperative, @member,
                   CASE WHEN t.word = @maker THEN 'Ibu ' || @maker WHEN t.tier = 1 THEN 'Ibu ' || @broad ELSE 'Ibu Wati Lestari' END,
                   'kerajinan', 'Published',
                   CASE WHEN t.tier = 2 THEN 'Tas ' || @broad ELSE 'Tas Pandan' END,
                   CASE WHEN t.tier = 0 THEN 'Seperti tas ' || @broad || '.' ELSE 'Anyaman pandan.' END,
                   'None', true, true, t.published_at, t.published_at, t.published_at, 1, 50000, t.in_stock
            FROM unnest(@ids, @tiers, @published, @stock, @words) AS t(id, tier, published_at, in_stock, word)
            """,
            new NpgsqlParameter("cooperative", cooperative.Id),
            new NpgsqlParameter("member", member.Id),
            new NpgsqlParameter("broad", broad),
            new NpgsqlParameter("maker", maker),
            new NpgsqlParameter("ids", broadRows.Concat(makerRows).Select(r => r.Id).ToArray()),
            new NpgsqlParameter("tiers", broadRows.Concat(makerRows).Select(r => r.Tier).ToArray()),
            new NpgsqlParameter("published", broadRows.Concat(makerRows).Select(r => r.PublishedAt).ToArray()),
            new NpgsqlParameter("stock", broadRows.Concat(makerRows).Select(r => r.InStock).ToArray()),
            new NpgsqlParameter("words", broadRows.Select(_ => broad).Concat(makerRows.Select(_ => maker)).ToArray())));
        await catalog.InDbAsync(db => db.Database.ExecuteSqlRawAsync("ANALYZE catalog.products"));
        await Eventually.GetAsync(
            () => catalog.InDbAsync(db => db.Database.SqlQuery<int>($"SELECT count(*)::int AS \"Value\" FROM catalog.search_words WHERE word IN ({broad}, {maker})").SingleAsync()),
            known => known == 2,
            because: "the vocabulary to count the new words");
        return (broad, maker, broadRows, makerRows);
    }
}
