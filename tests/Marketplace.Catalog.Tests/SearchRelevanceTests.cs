using System.Net.Http.Json;
using Marketplace.Catalog.Search;
using Marketplace.Testing;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Marketplace.Catalog.Tests;

public sealed class SearchRelevanceTests(CatalogHost catalog) : IClassFixture<CatalogHost>
{
    // A word no other test uses, so that each test sees only its own products.
    private static string NewWord() => "lorjuk" + string.Concat(Guid.NewGuid().ToString("N").Where(char.IsAsciiLetter).Take(6));

    private static object Product(string name, string description) => new
    {
        category = "kerajinan",
        listing = new { nameId = name, descriptionId = description },
        variants = new[] { new { sku = "S-" + Guid.NewGuid().ToString("N")[..8], label = "1 buah", priceRupiah = 50_000L, weightGrams = 200, stock = 3 } },
    };

    private async Task<ProductPage> SearchAsync(string query) =>
        (await catalog.Anonymous().GetFromJsonAsync<ProductPage>($"/api/catalog/products?{query}"))!;

    [Fact]
    public async Task A_name_match_comes_before_a_makers_name_match_and_both_before_a_description_only_match()
    {
        var word = NewWord();
        var cooperative = await catalog.NewCooperativeAsync();
        var maker = await catalog.NewMemberAsync(cooperative.Id, $"Ibu {word}");
        var other = await catalog.NewMemberAsync(cooperative.Id, "Ibu Wati Lestari");
        // Oldest first, so that "newest first" alone would give the opposite order.
        var named = (await catalog.PublishedProductAsync(other, Product($"Tas {word}", "Anyaman pandan."))).Id;
        var made = (await catalog.PublishedProductAsync(maker, Product("Tas Pandan", "Anyaman pandan."))).Id;
        var described = (await catalog.PublishedProductAsync(other, Product("Tas Mendong", $"Dianyam seperti tas {word}."))).Id;
        await catalog.PublishedProductAsync(other, Product("Tas Rotan", "Anyaman rotan."));

        var page = await SearchAsync($"cooperative={cooperative.Id}&q={word}");

        Assert.Equal([named, made, described], page.Items.Select(p => p.Id));
        Assert.Equal(3, page.Total);
        Assert.False(page.TotalIsLowerBound);
    }

    [Fact]
    public async Task Every_word_in_the_name_outranks_words_spread_over_name_and_description()
    {
        var word = NewWord();
        var cooperative = await catalog.NewCooperativeAsync();
        var member = await catalog.NewMemberAsync(cooperative.Id, "Ibu Wati Lestari");
        var named = (await catalog.PublishedProductAsync(member, Product($"Tas {word} Mendong", "Anyaman."))).Id;
        var spread = (await catalog.PublishedProductAsync(member, Product($"Tas {word}", "Anyaman mendong."))).Id;

        var page = await SearchAsync($"cooperative={cooperative.Id}&q={Uri.EscapeDataString($"{word} mendong")}");

        Assert.Equal([named, spread], page.Items.Select(p => p.Id));
    }

    [Fact]
    public async Task An_unfinished_last_word_finds_the_words_it_begins_before_and_after_the_vocabulary_knows_them()
    {
        var word = NewWord();
        var cooperative = await catalog.NewCooperativeAsync();
        var member = await catalog.NewMemberAsync(cooperative.Id, "Ibu Wati Lestari");
        var bag = (await catalog.PublishedProductAsync(member, Product($"Tas Pandan {word}", "Anyaman pandan."))).Id;
        await catalog.PublishedProductAsync(member, Product("Tas Pandan Polos", "Anyaman pandan."));
        var typed = $"pandan {word[..^2]}";

        var early = await SearchAsync($"cooperative={cooperative.Id}&q={Uri.EscapeDataString(typed)}");
        // Once the vocabulary knows the word, the unfinished one is searched as the words it begins.
        await Eventually.GetAsync(
            () => catalog.InDbAsync(db => db.Database.SqlQuery<bool>($"SELECT EXISTS (SELECT 1 FROM catalog.search_words WHERE word = {word}) AS \"Value\"").SingleAsync()),
            known => known,
            because: "the vocabulary to learn the new word");
        var later = await SearchAsync($"cooperative={cooperative.Id}&q={Uri.EscapeDataString(typed)}");

        Assert.Equal([bag], early.Items.Select(p => p.Id));
        Assert.Equal([bag], later.Items.Select(p => p.Id));
    }

    /// <summary>
    /// Past <see cref="ProductSearch.MaxCount"/> matches the search takes each tier's newest from an index instead
    /// of ordering every match: paging through must give the same order, each product once, tier boundaries
    /// falling inside pages.
    /// </summary>
    [Fact]
    public async Task A_broad_search_pages_through_every_tier_in_order_and_says_there_are_more()
    {
        var word = NewWord();
        var cooperative = await catalog.NewCooperativeAsync();
        var member = await catalog.NewMemberAsync(cooperative.Id, "Ibu Wati Lestari");
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        // Tiers interleaved in time: 2 = the word in the name (600), 1 = in the maker's name (300), 0 = in the
        // description only (600). Both sizes of tier: one ordered whole, and one read newest first from an index.
        var rows = Enumerable.Range(0, 1500)
            .Select(i => (Id: Guid.NewGuid(), Tier: (i % 5) switch { 0 or 1 => 2, 2 => 1, _ => 0 }, PublishedAt: start.AddMinutes(i)))
            .ToList();
        await catalog.InDbAsync(db => db.Database.ExecuteSqlRawAsync(
            """
            INSERT INTO catalog.products (id, cooperative_id, member_id, maker_name, category, status, name_id, description_id,
                                          revision_status, seller_active, on_sale, created_at, updated_at, published_at, revision, min_price_rupiah)
            SELECT t.id, @cooperative, @member,
                   CASE WHEN t.tier = 1 THEN 'Ibu ' || @word ELSE 'Ibu Wati Lestari' END, 'kerajinan', 'Published',
                   CASE WHEN t.tier = 2 THEN 'Tas ' || @word ELSE 'Tas Pandan' END,
                   CASE WHEN t.tier = 0 THEN 'Seperti tas ' || @word || '.' ELSE 'Anyaman pandan.' END,
                   'None', true, true, t.published_at, t.published_at, t.published_at, 1, 50000
            FROM unnest(@ids, @tiers, @published) AS t(id, tier, published_at)
            """,
            new NpgsqlParameter("cooperative", cooperative.Id),
            new NpgsqlParameter("member", member.Id),
            new NpgsqlParameter("word", word),
            new NpgsqlParameter("ids", rows.Select(r => r.Id).ToArray()),
            new NpgsqlParameter("tiers", rows.Select(r => r.Tier).ToArray()),
            new NpgsqlParameter("published", rows.Select(r => r.PublishedAt).ToArray())));

        var found = new List<Guid>();
        ProductPage page;
        var number = 1;
        do
        {
            page = await SearchAsync($"cooperative={cooperative.Id}&q={word}&pageSize=48&page={number++}");
            Assert.Equal(ProductSearch.MaxCount, page.Total);
            Assert.True(page.TotalIsLowerBound);
            found.AddRange(page.Items.Select(p => p.Id));
        }
        while (page.Items.Count == 48);

        var expected = rows.OrderByDescending(r => r.Tier).ThenByDescending(r => r.PublishedAt).Select(r => r.Id).ToList();
        Assert.Equal(expected, found);
    }
}
