using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Testing;

namespace Marketplace.Catalog.Tests;

/// <summary>Orders and members know their cooperative by id: its profile, with the time zone their pages are dated in.</summary>
public sealed class CooperativeByIdTests(CatalogHost catalog) : IClassFixture<CatalogHost>
{
    [Fact]
    public async Task Anyone_reads_a_cooperative_by_its_id_with_its_time_zone_and_its_status_in_camel_case()
    {
        var cooperative = await catalog.NewCooperativeAsync();

        var byId = await catalog.Anonymous().GetFromJsonAsync<JsonElement>($"/api/catalog/cooperatives/{cooperative.Id}");

        Assert.Equal(cooperative.Slug, byId.GetProperty("slug").GetString());
        Assert.Equal("Asia/Jakarta", byId.GetProperty("timeZone").GetString());
        Assert.Equal("active", byId.GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_unknown_id_is_not_found_and_a_slug_still_finds_its_cooperative()
    {
        var cooperative = await catalog.NewCooperativeAsync();

        var unknown = await catalog.Anonymous().GetAsync(new Uri($"/api/catalog/cooperatives/{Guid.NewGuid()}", UriKind.Relative));
        var bySlug = await catalog.Anonymous().GetFromJsonAsync<JsonElement>($"/api/catalog/cooperatives/{cooperative.Slug}");

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(cooperative.Id, bySlug.GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task The_admins_list_carries_each_cooperatives_time_zone()
    {
        var cooperative = await catalog.NewCooperativeAsync();

        var list = await catalog.As(TestTokens.CooperativeAdmin(cooperative.Id)).GetFromJsonAsync<JsonElement>("/api/catalog/cooperatives");

        Assert.Equal("Asia/Jakarta", list.EnumerateArray().Single().GetProperty("timeZone").GetString());
    }
}
