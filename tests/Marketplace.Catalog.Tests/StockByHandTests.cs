using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using MassTransit;
using Marketplace.Catalog.Data;
using Marketplace.Catalog.Stock;
using Marketplace.Contracts.Gateway;
using Marketplace.ServiceDefaults.Identity;
using Marketplace.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Catalog.Tests;

/// <summary>Stock set by hand says why; the card names the member who moved it; the shelf an admin counts lists every size.</summary>
public sealed class StockByHandTests(CatalogHost catalog) : IClassFixture<CatalogHost>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) } };

    [Fact]
    public async Task Changing_stock_by_hand_without_a_reason_is_refused_at_the_reason_and_changes_nothing()
    {
        var cooperative = await catalog.NewCooperativeAsync();
        var member = await catalog.NewMemberAsync(cooperative.Id);
        var product = await catalog.PublishedProductAsync(member, Requests.Crackers(stock: 10));
        var stock = $"/api/catalog/products/{product.Id}/variants/{product.Variants[0].Id}/stock";
        var client = catalog.As(member.Token);

        var refused = await client.PutAsJsonAsync(stock, new { onHand = 7, reason = "   " });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["reason_required"], problem.GetProperty("fieldCodes").GetProperty("reason").EnumerateArray().Select(c => c.GetString()));
        var card = (await client.GetFromJsonAsync<StockCardResponse>($"/api/catalog/products/{product.Id}/variants/{product.Variants[0].Id}/stock-card", Json))!;
        Assert.Equal(10, card.OnHand);
        Assert.Single(card.Movements);

        // Saving the same number again moves nothing, so there is nothing to explain.
        (await client.PutAsJsonAsync(stock, new { onHand = 10 })).EnsureSuccessStatusCode();
        (await client.PutAsJsonAsync(stock, new { onHand = 7, reason = "Tiga bungkus sobek" })).EnsureSuccessStatusCode();
        card = (await client.GetFromJsonAsync<StockCardResponse>($"/api/catalog/products/{product.Id}/variants/{product.Variants[0].Id}/stock-card", Json))!;
        Assert.Equal([(MovementKinds.Adjusted, -3, "Tiga bungkus sobek"), (MovementKinds.Received, 10, (string?)null)],
            card.Movements.Select(m => (m.Kind, m.Quantity, m.Reason)));
    }

    [Fact]
    public async Task The_card_names_the_member_who_moved_stock_and_no_one_for_an_admin()
    {
        var cooperative = await catalog.NewCooperativeAsync();
        var memberId = Guid.NewGuid();
        var userId = Guid.NewGuid();
        await catalog.Host.Services.GetRequiredService<IBus>().Publish(new MemberJoined(memberId, userId, cooperative.Id, "Ibu Lestari", "0812-3456-7891", DateTimeOffset.UtcNow));
        await Eventually.TrueAsync(async () =>
        {
            await using var scope = catalog.Host.CreateScope();
            return await scope.ServiceProvider.GetRequiredService<CatalogDbContext>().Members.AnyAsync(m => m.Id == memberId);
        }, because: "the member to join");
        var member = new TestMember(memberId, cooperative.Id,
            TestTokens.Issuer.Mint(new ServiceCaller(userId, [MarketplaceRoles.Member], [cooperative.Id], memberId)));
        var product = await catalog.PublishedProductAsync(member, Requests.Crackers(stock: 4));
        var variant = product.Variants[0].Id;
        var admin = catalog.As(TestTokens.CooperativeAdmin(cooperative.Id));
        (await catalog.As(member.Token).PutAsJsonAsync($"/api/catalog/products/{product.Id}/variants/{variant}/stock", new { onHand = 3, reason = "Satu bungkus sobek" }))
            .EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync($"/api/catalog/cooperatives/{cooperative.Id}/stock-counts", new { lines = new[] { new { variantId = variant, counted = 2 } }, reason = "Opname bulanan" }))
            .EnsureSuccessStatusCode();

        var card = (await catalog.As(member.Token).GetFromJsonAsync<StockCardResponse>($"/api/catalog/products/{product.Id}/variants/{variant}/stock-card", Json))!;

        // Her own change names her; the admin's count and the delivery the admin received do not name a member.
        Assert.Equal([(MovementKinds.Counted, (string?)null), (MovementKinds.Adjusted, "Ibu Lestari"), (MovementKinds.Received, null)], card.Movements.Select(m => (m.Kind, m.ByMember)));
    }

    [Fact]
    public async Task The_shelf_lists_the_cooperatives_sizes_with_their_stock_for_its_admins_only()
    {
        var cooperative = await catalog.NewCooperativeAsync();
        var member = await catalog.NewMemberAsync(cooperative.Id, "Ibu Wati");
        var product = await catalog.PublishedProductAsync(member, Requests.Crackers(stock: 6));
        var variant = product.Variants[0].Id;
        (await catalog.As(member.Token).PutAsJsonAsync($"/api/catalog/products/{product.Id}/variants/{variant}/low-stock", new { threshold = 6 })).EnsureSuccessStatusCode();
        // Audited like every other stock setting: who set it, from none to 6.
        var trail = await catalog.As(TestTokens.CooperativeAdmin(cooperative.Id))
            .GetFromJsonAsync<JsonElement>($"/api/catalog/audit?cooperativeId={cooperative.Id}&action=stock.low-stock-set");
        var entry = Assert.Single(trail.GetProperty("entries").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, entry.GetProperty("before").GetProperty("threshold").ValueKind);
        Assert.Equal(6, entry.GetProperty("after").GetProperty("threshold").GetInt32());
        Assert.Equal((variant.ToString(), "member"), (entry.GetProperty("subjectId").GetString(), entry.GetProperty("actorRole").GetString()));
        var elsewhere = await catalog.NewCooperativeAsync();
        await catalog.PublishedProductAsync(await catalog.NewMemberAsync(elsewhere.Id), Requests.Crackers(stock: 3));

        var shelf = (await catalog.As(TestTokens.CooperativeAdmin(cooperative.Id)).GetFromJsonAsync<List<ShelfRowResponse>>($"/api/catalog/cooperatives/{cooperative.Id}/stock", Json))!;

        var row = Assert.Single(shelf);
        Assert.Equal((variant, "Ibu Wati", 6, 6, true), (row.VariantId, row.MemberName, row.OnHand, row.LowStockThreshold!.Value, row.LowStock));
        Assert.Equal(HttpStatusCode.NotFound, (await catalog.As(TestTokens.CooperativeAdmin(elsewhere.Id)).GetAsync($"/api/catalog/cooperatives/{cooperative.Id}/stock")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await catalog.As(member.Token).GetAsync($"/api/catalog/cooperatives/{cooperative.Id}/stock")).StatusCode);
    }
}
