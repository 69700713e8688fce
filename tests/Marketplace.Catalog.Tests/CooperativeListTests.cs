using System.Net;
using System.Net.Http.Json;
using Marketplace.Catalog.Cooperatives;
using Marketplace.Testing;

namespace Marketplace.Catalog.Tests;

/// <summary>The list an admin picks her cooperative from: all of them for the platform admin, only her own otherwise.</summary>
public sealed class CooperativeListTests(CatalogHost catalog) : IClassFixture<CatalogHost>
{
    [Fact]
    public async Task The_platform_admin_sees_every_cooperative_including_one_just_registered()
    {
        var first = await catalog.NewCooperativeAsync();
        var second = await catalog.NewCooperativeAsync();

        var list = await catalog.As(TestTokens.PlatformAdmin()).GetFromJsonAsync<List<CooperativeSummary>>("/api/catalog/cooperatives");

        Assert.Contains(list!, c => c.Id == first.Id && c.Name == first.Name && c.Slug == first.Slug && c.Status == CooperativeStatus.Active);
        Assert.Contains(list!, c => c.Id == second.Id);
    }

    [Fact]
    public async Task A_cooperative_admin_sees_only_her_own_cooperative()
    {
        var hers = await catalog.NewCooperativeAsync();
        var other = await catalog.NewCooperativeAsync();

        var list = await catalog.As(TestTokens.CooperativeAdmin(hers.Id)).GetFromJsonAsync<List<CooperativeSummary>>("/api/catalog/cooperatives");

        Assert.Equal([hers.Id], list!.Select(c => c.Id));
        Assert.DoesNotContain(list!, c => c.Id == other.Id);
    }

    [Fact]
    public async Task Members_shoppers_and_strangers_get_no_list()
    {
        var cooperative = await catalog.NewCooperativeAsync();

        var member = await catalog.As(TestTokens.Member(cooperative.Id, Guid.NewGuid())).GetAsync(new Uri("/api/catalog/cooperatives", UriKind.Relative));
        var shopper = await catalog.As(TestTokens.Shopper()).GetAsync(new Uri("/api/catalog/cooperatives", UriKind.Relative));
        var anonymous = await catalog.Anonymous().GetAsync(new Uri("/api/catalog/cooperatives", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, member.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, shopper.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task A_cooperative_admin_cannot_register_a_cooperative()
    {
        var cooperative = await catalog.NewCooperativeAsync();

        var response = await catalog.As(TestTokens.CooperativeAdmin(cooperative.Id))
            .PostAsJsonAsync("/api/catalog/cooperatives", new { slug = "koperasi-" + Guid.NewGuid().ToString("N")[..8], name = "Koperasi Liar", feePercent = 10m });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
