using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Marketplace.Catalog.Tests;

public sealed class MemberProfileTests(CatalogHost catalog) : IClassFixture<CatalogHost>
{
    [Fact]
    public async Task Every_mistake_in_a_profile_is_named_at_its_field_at_once_and_nothing_changes()
    {
        var cooperative = await catalog.NewCooperativeAsync();
        var member = await catalog.NewMemberAsync(cooperative.Id, "Bu Siti");

        var refused = await catalog.As(member.Token).PutAsJsonAsync("/api/catalog/members/me",
            new { displayName = "S", businessName = "Kerupuk Bu Siti", village = new string('x', 81), story = "Cerita", whatsApp = "12345" });
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        var unchanged = await catalog.Anonymous().GetFromJsonAsync<JsonElement>($"/api/catalog/members/{member.Id}");

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var fields = problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order().ToList();
        Assert.Equal(["displayName", "village", "whatsApp"], fields);
        Assert.Equal("invalid_whatsapp", problem.GetProperty("fieldCodes").GetProperty("whatsApp")[0].GetString());
        Assert.Equal("Bu Siti", unchanged.GetProperty("displayName").GetString());
        Assert.Equal(JsonValueKind.Null, unchanged.GetProperty("businessName").ValueKind);
    }

    [Fact]
    public async Task A_member_keeps_her_business_name_village_and_story_and_shoppers_see_them()
    {
        var cooperative = await catalog.NewCooperativeAsync();
        var member = await catalog.NewMemberAsync(cooperative.Id, "Bu Ani");

        var saved = await catalog.As(member.Token).PutAsJsonAsync("/api/catalog/members/me",
            new { displayName = "Bu Ani", businessName = "Terasi Bu Ani", village = "Desa Binor", story = "Terasi udang rebon sejak 2010.", whatsApp = "0812 3456 7890" });
        var seen = await catalog.Anonymous().GetFromJsonAsync<JsonElement>($"/api/catalog/members/{member.Id}");

        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal("Terasi Bu Ani", seen.GetProperty("businessName").GetString());
        Assert.Equal("Desa Binor", seen.GetProperty("village").GetString());
        Assert.Equal("Terasi udang rebon sejak 2010.", seen.GetProperty("story").GetString());
        // Her WhatsApp is for her cooperative, not for everyone.
        Assert.Equal(JsonValueKind.Null, seen.GetProperty("whatsApp").ValueKind);
    }
}
