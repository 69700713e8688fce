using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Catalog.Members;
using Marketplace.Testing;

namespace Marketplace.Catalog.Tests;

public sealed class MakerPageTests(CatalogHost catalog) : IClassFixture<CatalogHost>
{
    [Theory]
    [InlineData("Siti Aminah", "siti-aminah")]
    [InlineData("Bu Ratna (Rengginang)", "bu-ratna-rengginang")]
    [InlineData("  Ma'ruf   Ketupat  ", "maruf-ketupat")]
    [InlineData("Désirée Çelik", "desiree-celik")]
    [InlineData("Ｓｒｉ ２", "sri-2")]
    [InlineData("李娜", MemberSlugs.Fallback)]
    [InlineData("-", MemberSlugs.Fallback)]
    public void A_slug_is_plain_ascii_made_from_her_name(string name, string expected) =>
        Assert.Equal(expected, MemberSlugs.FromName(name));

    [Fact]
    public void A_long_name_is_cut_at_a_word_leaving_room_for_a_number()
    {
        var slug = MemberSlugs.FromName(string.Join(' ', Enumerable.Repeat("Sumberrejo", 10)));

        Assert.True(slug.Length <= MemberSlugs.MaxLength - 4, slug);
        Assert.True(MemberSlugs.IsValid(slug + "-999"), slug);
        Assert.EndsWith("sumberrejo", slug, StringComparison.Ordinal);
    }

    [Fact]
    public void A_taken_slug_gets_the_next_free_number() =>
        Assert.Equal("sri-3", MemberSlugs.Pick("sri", new HashSet<string> { "sri", "sri-2", "sri-4" }));

    [Fact]
    public async Task Two_makers_of_the_same_name_get_their_own_pages_and_a_rename_keeps_the_address()
    {
        var cooperative = await catalog.NewCooperativeAsync();
        var name = "Bu Lastri " + Letters(8);
        var first = await catalog.NewMemberAsync(cooperative.Id, name);
        var second = await catalog.NewMemberAsync(cooperative.Id, name);
        var firstSlug = await SlugOfAsync(first.Id);
        var secondSlug = await SlugOfAsync(second.Id);

        Assert.Equal(MemberSlugs.FromName(name), firstSlug);
        Assert.Equal(firstSlug + "-2", secondSlug);

        (await catalog.As(first.Token).PutAsJsonAsync("/api/catalog/members/me",
            new { displayName = "Bu Lastri Baru", businessName = "Rengginang Lastri", village = "Desa Binor", story = "Rengginang sejak 1998.", whatsApp = (string?)null }))
            .EnsureSuccessStatusCode();
        var page = await catalog.Anonymous().GetFromJsonAsync<JsonElement>($"/api/catalog/makers/{firstSlug}");

        Assert.Equal(firstSlug, await SlugOfAsync(first.Id));
        Assert.Equal("Bu Lastri Baru", page.GetProperty("displayName").GetString());
        Assert.Equal("Rengginang sejak 1998.", page.GetProperty("story").GetString());
        Assert.Equal(cooperative.Slug, page.GetProperty("cooperative").GetProperty("slug").GetString());
        // Her own number is her cooperative's business, not the public's.
        Assert.False(page.TryGetProperty("whatsApp", out _));
    }

    [Fact]
    public async Task A_suspended_maker_or_one_of_a_suspended_cooperative_has_no_page()
    {
        var cooperative = await catalog.NewCooperativeAsync();
        var suspended = await catalog.NewMemberAsync(cooperative.Id, "Bu Darmi " + Letters(8));
        var active = await catalog.NewMemberAsync(cooperative.Id, "Bu Warsih " + Letters(8));
        var anonymous = catalog.Anonymous();
        var activeSlug = await SlugOfAsync(active.Id);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(new Uri($"/api/catalog/makers/{activeSlug.ToUpperInvariant()}", UriKind.Relative))).StatusCode);

        (await catalog.As(TestTokens.CooperativeAdmin(cooperative.Id)).PostAsync(new Uri($"/api/catalog/members/{suspended.Id}/suspend", UriKind.Relative), null))
            .EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(new Uri($"/api/catalog/makers/{await SlugOfAsync(suspended.Id)}", UriKind.Relative))).StatusCode);

        (await catalog.As(TestTokens.PlatformAdmin()).PostAsync(new Uri($"/api/catalog/cooperatives/{cooperative.Id}/suspend", UriKind.Relative), null))
            .EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(new Uri($"/api/catalog/makers/{activeSlug}", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(new Uri("/api/catalog/makers/nobody-at-all-" + Letters(6), UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task A_product_names_its_makers_page()
    {
        var cooperative = await catalog.NewCooperativeAsync();
        var member = await catalog.NewMemberAsync(cooperative.Id, "Bu Sulis " + Letters(8));
        var product = await catalog.PublishedProductAsync(member);

        var seen = await catalog.Anonymous().GetFromJsonAsync<JsonElement>($"/api/catalog/products/{product.Id}");
        var listed = await catalog.Anonymous().GetFromJsonAsync<JsonElement>($"/api/catalog/cooperatives/{cooperative.Id}/members");

        Assert.Equal(await SlugOfAsync(member.Id), seen.GetProperty("maker").GetProperty("slug").GetString());
        Assert.Equal(await SlugOfAsync(member.Id), listed[0].GetProperty("slug").GetString());
    }

    private Task<string> SlugOfAsync(Guid memberId) =>
        catalog.InDbAsync(db => Task.FromResult(db.Members.Single(m => m.Id == memberId).Slug));

    private static string Letters(int count) => string.Concat(Guid.NewGuid().ToByteArray().Take(count).Select(b => (char)('a' + (b % 26))));
}
