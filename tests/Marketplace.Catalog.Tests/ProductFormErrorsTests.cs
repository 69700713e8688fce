using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Testing;

namespace Marketplace.Catalog.Tests;

/// <summary>A member who makes several mistakes in a product form is told all of them at once, each at its field.</summary>
public sealed class ProductFormErrorsTests(CatalogHost catalog) : IClassFixture<CatalogHost>
{
    [Fact]
    public async Task Every_mistake_in_a_new_product_is_refused_at_once_each_at_its_field_with_its_rule()
    {
        var cooperative = await catalog.NewCooperativeAsync();
        var member = await catalog.NewMemberAsync(cooperative.Id);

        var response = await catalog.As(member.Token).PostAsJsonAsync("/api/catalog/products", new
        {
            category = "kerupuk",
            listing = new
            {
                nameId = "ab",
                descriptionId = "",
                shelfLifeDays = 0,
                pirtNumber = "12345",
                bpomNumber = "BPOM 12",
            },
            variants = new[]
            {
                new { sku = "A-1", label = "250 g", priceRupiah = 25_000L, weightGrams = 300, stock = 0 },
                new { sku = "A-2", label = "", priceRupiah = 100L, weightGrams = 0, stock = 0 },
            },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var codes = problem.GetProperty("fieldCodes").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.EnumerateArray().Select(c => c.GetString() ?? "").ToArray());
        Assert.Equal(new[] { "invalid_name_id" }, codes["listing.nameId"]);
        Assert.Equal(new[] { "invalid_description_id" }, codes["listing.descriptionId"]);
        Assert.Equal(new[] { "invalid_shelf_life" }, codes["listing.shelfLifeDays"]);
        Assert.Equal(new[] { "invalid_pirt" }, codes["listing.pirtNumber"]);
        Assert.Equal(new[] { "pirt_expiry_missing" }, codes["listing.pirtValidUntil"]);
        Assert.Equal(new[] { "invalid_bpom" }, codes["listing.bpomNumber"]);
        Assert.Equal(new[] { "invalid_label" }, codes["variants[1].label"]);
        Assert.Equal(new[] { "invalid_price" }, codes["variants[1].priceRupiah"]);
        Assert.Equal(new[] { "invalid_weight" }, codes["variants[1].weightGrams"]);
        Assert.DoesNotContain(codes.Keys, k => k.StartsWith("variants[0]", StringComparison.Ordinal));
        // Every client also gets the usual field -> messages shape.
        Assert.True(problem.GetProperty("errors").TryGetProperty("listing.nameId", out _));

        var mine = await catalog.As(member.Token).GetFromJsonAsync<JsonElement>("/api/catalog/products/mine");
        Assert.Equal(0, mine.GetArrayLength());
    }

    [Fact]
    public async Task An_edit_with_several_mistakes_changes_nothing_and_names_each_field()
    {
        var cooperative = await catalog.NewCooperativeAsync();
        var member = await catalog.NewMemberAsync(cooperative.Id);
        var created = await catalog.As(member.Token).PostAsJsonAsync("/api/catalog/products", Requests.Crackers(stock: 0));
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var response = await catalog.As(member.Token).PutAsJsonAsync($"/api/catalog/products/{id}/listing", new
        {
            category = "perhiasan",
            listing = new { nameId = "", descriptionId = "Masih kerupuk.", halalCertificateNumber = "ID35110000123450923" },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var codes = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("fieldCodes");
        Assert.True(codes.TryGetProperty("listing.nameId", out _));
        Assert.True(codes.TryGetProperty("listing.halalValidUntil", out _));
        Assert.True(codes.TryGetProperty("category", out _));
        var product = await catalog.As(member.Token).GetFromJsonAsync<JsonElement>($"/api/catalog/products/{id}/manage");
        Assert.Equal("Kerupuk Ikan Tenggiri", product.GetProperty("listing").GetProperty("nameId").GetString());
    }

    [Fact]
    public async Task A_cooperative_registered_with_several_mistakes_is_refused_once_naming_each_field()
    {
        var response = await catalog.As(TestTokens.PlatformAdmin()).PostAsJsonAsync("/api/catalog/cooperatives", new { slug = "X", name = "K", feePercent = 150m });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var codes = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("fieldCodes");
        Assert.Equal("invalid_slug", codes.GetProperty("slug")[0].GetString());
        Assert.Equal("invalid_name", codes.GetProperty("name")[0].GetString());
        Assert.Equal("invalid_fee", codes.GetProperty("feePercent")[0].GetString());
    }
}
