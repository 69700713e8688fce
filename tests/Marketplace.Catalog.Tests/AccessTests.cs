using System.Net;
using System.Net.Http.Json;
using Marketplace.Catalog.Products;
using Marketplace.Testing;

namespace Marketplace.Catalog.Tests;

/// <summary>Object-level authorization: nobody reaches another member's or cooperative's things, nor learns they exist.</summary>
public sealed class AccessTests(CatalogHost catalog) : IClassFixture<CatalogHost>
{
    [Fact]
    public async Task A_member_cannot_see_or_change_another_members_product()
    {
        var cooperative = await catalog.NewCooperativeAsync();
        var owner = await catalog.NewMemberAsync(cooperative.Id);
        var neighbour = await catalog.NewMemberAsync(cooperative.Id, "Ibu Tetangga");
        var product = await catalog.CreateProductAsync(owner);
        var other = catalog.As(neighbour.Token);

        var responses = new[]
        {
            await other.GetAsync(new Uri($"/api/catalog/products/{product.Id}/manage", UriKind.Relative)),
            await other.PostAsync(new Uri($"/api/catalog/products/{product.Id}/submit", UriKind.Relative), null),
            await other.PutAsJsonAsync($"/api/catalog/products/{product.Id}/variants/{product.Variants[0].Id}/price", new { priceRupiah = 1000 }),
            await other.PutAsJsonAsync($"/api/catalog/products/{product.Id}/listing", new { category = "kerupuk", listing = new { nameId = "Diambil", descriptionId = "x" } }),
            await other.PostAsync(new Uri($"/api/catalog/products/{product.Id}/archive", UriKind.Relative), null),
        };

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.NotFound, r.StatusCode));
        var untouched = await catalog.As(owner.Token).GetFromJsonAsync<ManagedProductResponse>($"/api/catalog/products/{product.Id}/manage");
        Assert.Equal(ProductStatus.Draft, untouched!.Status);
        Assert.Equal(25_000, untouched.Variants[0].PriceRupiah);
    }

    [Fact]
    public async Task An_admin_of_another_cooperative_cannot_review_or_see_its_queue()
    {
        var cooperative = await catalog.NewCooperativeAsync();
        var elsewhere = await catalog.NewCooperativeAsync();
        var member = await catalog.NewMemberAsync(cooperative.Id);
        var product = await catalog.CreateProductAsync(member);
        await catalog.As(member.Token).PostAsync(new Uri($"/api/catalog/products/{product.Id}/submit", UriKind.Relative), null);
        var foreignAdmin = catalog.As(TestTokens.CooperativeAdmin(elsewhere.Id));

        var approve = await foreignAdmin.PostAsync(new Uri($"/api/catalog/products/{product.Id}/approve", UriKind.Relative), null);
        var manage = await foreignAdmin.GetAsync(new Uri($"/api/catalog/products/{product.Id}/manage", UriKind.Relative));
        var queue = await foreignAdmin.GetFromJsonAsync<List<ManagedProductResponse>>($"/api/catalog/cooperatives/{cooperative.Id}/review-queue");
        var suspend = await foreignAdmin.PostAsync(new Uri($"/api/catalog/members/{member.Id}/suspend", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.NotFound, approve.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, manage.StatusCode);
        Assert.Empty(queue!);
        Assert.Equal(HttpStatusCode.NotFound, suspend.StatusCode);
    }

    [Fact]
    public async Task A_member_cannot_approve_even_her_own_product()
    {
        var cooperative = await catalog.NewCooperativeAsync();
        var member = await catalog.NewMemberAsync(cooperative.Id);
        var product = await catalog.CreateProductAsync(member);
        await catalog.As(member.Token).PostAsync(new Uri($"/api/catalog/products/{product.Id}/submit", UriKind.Relative), null);

        var approve = await catalog.As(member.Token).PostAsync(new Uri($"/api/catalog/products/{product.Id}/approve", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.Forbidden, approve.StatusCode);
    }

    [Fact]
    public async Task Fields_a_member_may_not_set_are_ignored()
    {
        var cooperative = await catalog.NewCooperativeAsync();
        var elsewhere = await catalog.NewCooperativeAsync();
        var member = await catalog.NewMemberAsync(cooperative.Id);
        var someoneElse = Guid.NewGuid();

        var created = await catalog.As(member.Token).PostAsJsonAsync("/api/catalog/products", new
        {
            category = "kerupuk",
            status = "published",
            onSale = true,
            memberId = someoneElse,
            cooperativeId = elsewhere.Id,
            listing = new { nameId = "Kerupuk Udang", descriptionId = "Kerupuk udang renyah.", pirtNumber = "P-IRT No. 2020235010123-26", pirtValidUntil = "2029-01-01" },
            variants = new[] { new { sku = "UDG-1", label = "200 g", priceRupiah = 20_000, weightGrams = 250, stock = 0, reserved = -100, onHand = 999 } },
        });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var product = (await created.Content.ReadFromJsonAsync<ManagedProductResponse>())!;
        Assert.Equal(ProductStatus.Draft, product.Status);
        Assert.False(product.OnSale);
        Assert.Equal(member.Id, product.MemberId);
        Assert.Equal(cooperative.Id, product.CooperativeId);
        Assert.Equal(0, product.Variants[0].OnHand);
        Assert.Equal(0, product.Variants[0].Reserved);
    }

    [Fact]
    public async Task Writes_without_a_token_are_refused_and_reads_of_drafts_leak_nothing()
    {
        var cooperative = await catalog.NewCooperativeAsync();
        var member = await catalog.NewMemberAsync(cooperative.Id);
        var product = await catalog.CreateProductAsync(member);
        var anonymous = catalog.Anonymous();

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/catalog/products", Requests.Crackers())).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(new Uri($"/api/catalog/products/{product.Id}/manage", UriKind.Relative))).StatusCode);
        var publicRead = await anonymous.GetAsync(new Uri($"/api/catalog/products/{product.Id}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, publicRead.StatusCode);
        Assert.DoesNotContain("Kerupuk", await publicRead.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
