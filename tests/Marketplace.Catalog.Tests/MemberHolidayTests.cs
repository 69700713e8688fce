using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Contracts.Catalog;
using Marketplace.ServiceDefaults.Formatting;
using Marketplace.Testing;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Catalog.Tests;

/// <summary>A member's holiday (libur): kept on her record, checked at its fields, told to Orders on every MemberUpdated, shown with her products.</summary>
public sealed class MemberHolidayTests(CatalogHost catalog) : IClassFixture<CatalogHost>
{
    // The cooperatives here keep the default zone: their calendar is Jakarta's.
    private static DateOnly Today => LocalTime.Today(DateTimeOffset.UtcNow, "Asia/Jakarta");

    [Fact]
    public async Task A_member_sets_changes_and_ends_her_holiday_and_each_change_is_published_with_its_days()
    {
        var cooperative = await catalog.NewCooperativeAsync();
        var member = await catalog.NewMemberAsync(cooperative.Id, "Bu Sri");
        var client = catalog.As(member.Token);

        var set = await client.PutAsJsonAsync("/api/catalog/members/me/holiday", new { awayFrom = Today.AddDays(2), awayUntil = Today.AddDays(5) });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var seen = await catalog.Anonymous().GetFromJsonAsync<JsonElement>($"/api/catalog/members/{member.Id}");
        Assert.Equal(Today.AddDays(2), seen.GetProperty("awayFrom").Deserialize<DateOnly>());
        Assert.Equal(Today.AddDays(5), seen.GetProperty("awayUntil").Deserialize<DateOnly>());

        (await client.PutAsJsonAsync("/api/catalog/members/me/holiday", new { awayFrom = Today, awayUntil = Today.AddDays(9) })).EnsureSuccessStatusCode();
        // The same days again change nothing and tell nobody.
        (await client.PutAsJsonAsync("/api/catalog/members/me/holiday", new { awayFrom = Today, awayUntil = Today.AddDays(9) })).EnsureSuccessStatusCode();
        var ended = await client.DeleteAsync(new Uri("/api/catalog/members/me/holiday", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
        var after = await catalog.Anonymous().GetFromJsonAsync<JsonElement>($"/api/catalog/members/{member.Id}");
        Assert.Equal(JsonValueKind.Null, after.GetProperty("awayFrom").ValueKind);
        Assert.Equal(JsonValueKind.Null, after.GetProperty("awayUntil").ValueKind);

        var published = await ReviewEventsTests.PublishedAsync<MemberUpdated>(catalog, e => e.MemberId == member.Id);
        // Joining, then set, changed and ended: one snapshot each, revisions rising, every one with the days as they stood.
        Assert.Equal(4, published.Count);
        Assert.Equal(published.Select(e => e.Revision).Order(), published.Select(e => e.Revision));
        Assert.Equal([(null, null), (Today.AddDays(2), Today.AddDays(5)), (Today, Today.AddDays(9)), (null, null)],
            published.Select(e => ((DateOnly?, DateOnly?))(e.AwayFrom, e.AwayUntil)).ToList());
        Assert.All(published, e => Assert.Equal("Bu Sri", e.DisplayName));
    }

    [Fact]
    public async Task Every_mistake_in_a_holiday_is_named_at_its_field_at_once_and_nothing_changes()
    {
        var cooperative = await catalog.NewCooperativeAsync();
        var member = await catalog.NewMemberAsync(cooperative.Id);
        var client = catalog.As(member.Token);

        var backwards = await client.PutAsJsonAsync("/api/catalog/members/me/holiday", new { awayFrom = Today.AddDays(-3), awayUntil = Today.AddDays(-5) });
        Assert.Equal(HttpStatusCode.BadRequest, backwards.StatusCode);
        var codes = FieldCodes(await backwards.Content.ReadFromJsonAsync<JsonElement>());
        Assert.Equal("away_from_past", codes["awayFrom"]);
        Assert.Equal("away_until_before_from", codes["awayUntil"]);

        var missing = FieldCodes(await (await client.PutAsJsonAsync("/api/catalog/members/me/holiday", new { awayFrom = (DateOnly?)null, awayUntil = (DateOnly?)null })).Content.ReadFromJsonAsync<JsonElement>());
        Assert.Equal("away_from_required", missing["awayFrom"]);
        Assert.Equal("away_until_required", missing["awayUntil"]);

        // 90 days is the longest holiday: today and the 89 days after it, not one more.
        var tooLong = FieldCodes(await (await client.PutAsJsonAsync("/api/catalog/members/me/holiday", new { awayFrom = Today, awayUntil = Today.AddDays(90) })).Content.ReadFromJsonAsync<JsonElement>());
        Assert.Equal("holiday_too_long", Assert.Single(tooLong).Value);
        var tooFar = FieldCodes(await (await client.PutAsJsonAsync("/api/catalog/members/me/holiday", new { awayFrom = Today.AddDays(400), awayUntil = Today.AddDays(401) })).Content.ReadFromJsonAsync<JsonElement>());
        Assert.Equal("away_from_too_far", Assert.Single(tooFar).Value);

        var unchanged = await catalog.Anonymous().GetFromJsonAsync<JsonElement>($"/api/catalog/members/{member.Id}");
        Assert.Equal(JsonValueKind.Null, unchanged.GetProperty("awayFrom").ValueKind);
        Assert.Single(await ReviewEventsTests.PublishedAsync<MemberUpdated>(catalog, e => e.MemberId == member.Id));

        (await client.PutAsJsonAsync("/api/catalog/members/me/holiday", new { awayFrom = Today, awayUntil = Today.AddDays(89) })).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task A_holiday_under_way_keeps_its_first_day_when_she_changes_its_last_but_cannot_be_moved_into_the_past()
    {
        var cooperative = await catalog.NewCooperativeAsync();
        var member = await catalog.NewMemberAsync(cooperative.Id);
        var client = catalog.As(member.Token);
        // She went away three days ago.
        await catalog.InDbAsync(db => db.Members.Where(m => m.Id == member.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.AwayFrom, Today.AddDays(-3)).SetProperty(m => m.AwayUntil, Today.AddDays(2))));

        var longer = await client.PutAsJsonAsync("/api/catalog/members/me/holiday", new { awayFrom = Today.AddDays(-3), awayUntil = Today.AddDays(6) });
        var earlier = await client.PutAsJsonAsync("/api/catalog/members/me/holiday", new { awayFrom = Today.AddDays(-4), awayUntil = Today.AddDays(6) });

        Assert.Equal(HttpStatusCode.OK, longer.StatusCode);
        Assert.Equal(Today.AddDays(6), (await longer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("awayUntil").Deserialize<DateOnly>());
        Assert.Equal("away_from_past", FieldCodes(await earlier.Content.ReadFromJsonAsync<JsonElement>())["awayFrom"]);
    }

    [Fact]
    public async Task Her_cooperatives_admin_sets_and_ends_her_holiday_but_another_cooperatives_admin_finds_no_such_member()
    {
        var cooperative = await catalog.NewCooperativeAsync();
        var other = await catalog.NewCooperativeAsync();
        var member = await catalog.NewMemberAsync(cooperative.Id);
        var admin = catalog.As(TestTokens.CooperativeAdmin(cooperative.Id));

        var stranger = await catalog.As(TestTokens.CooperativeAdmin(other.Id))
            .PutAsJsonAsync($"/api/catalog/members/{member.Id}/holiday", new { awayFrom = Today, awayUntil = Today.AddDays(3) });
        var set = await admin.PutAsJsonAsync($"/api/catalog/members/{member.Id}/holiday", new { awayFrom = Today, awayUntil = Today.AddDays(3) });
        var listed = await admin.GetFromJsonAsync<JsonElement>($"/api/catalog/cooperatives/{cooperative.Id}/members");

        Assert.Equal(HttpStatusCode.NotFound, stranger.StatusCode);
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var row = listed.EnumerateArray().Single(m => m.GetProperty("id").GetGuid() == member.Id);
        Assert.Equal(Today.AddDays(3), row.GetProperty("awayUntil").Deserialize<DateOnly>());
        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync(new Uri($"/api/catalog/members/{member.Id}/holiday", UriKind.Relative))).StatusCode);
        var last = (await ReviewEventsTests.PublishedAsync<MemberUpdated>(catalog, e => e.MemberId == member.Id)).Last();
        Assert.Null(last.AwayUntil);
    }

    [Fact]
    public async Task Her_products_page_and_search_card_say_when_she_is_away()
    {
        var cooperative = await catalog.NewCooperativeAsync();
        var away = await catalog.NewMemberAsync(cooperative.Id, "Bu Libur");
        var home = await catalog.NewMemberAsync(cooperative.Id, "Bu Ada");
        var awayProduct = await catalog.PublishedProductAsync(away, Requests.Crackers("Kerupuk Bu Libur"));
        var homeProduct = await catalog.PublishedProductAsync(home, Requests.Crackers("Kerupuk Bu Ada"));
        (await catalog.As(away.Token).PutAsJsonAsync("/api/catalog/members/me/holiday", new { awayFrom = Today, awayUntil = Today.AddDays(4) })).EnsureSuccessStatusCode();

        var page = await catalog.Anonymous().GetFromJsonAsync<JsonElement>($"/api/catalog/products/{awayProduct.Id}");
        var other = await catalog.Anonymous().GetFromJsonAsync<JsonElement>($"/api/catalog/products/{homeProduct.Id}");
        var search = await catalog.Anonymous().GetFromJsonAsync<JsonElement>($"/api/catalog/products?cooperative={cooperative.Id}");

        Assert.Equal(Today, page.GetProperty("maker").GetProperty("awayFrom").Deserialize<DateOnly>());
        Assert.Equal(Today.AddDays(4), page.GetProperty("maker").GetProperty("awayUntil").Deserialize<DateOnly>());
        Assert.Equal(JsonValueKind.Null, other.GetProperty("maker").GetProperty("awayUntil").ValueKind);
        var cards = search.GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("id").GetGuid());
        Assert.Equal(Today.AddDays(4), cards[awayProduct.Id].GetProperty("makerAwayUntil").Deserialize<DateOnly>());
        Assert.Equal(JsonValueKind.Null, cards[homeProduct.Id].GetProperty("makerAwayUntil").ValueKind);
    }

    private static Dictionary<string, string> FieldCodes(JsonElement problem) =>
        problem.GetProperty("fieldCodes").EnumerateObject().ToDictionary(f => f.Name, f => f.Value[0].GetString()!);
}
