using System.Net;
using System.Net.Http.Json;
using Marketplace.Catalog.Products;
using Marketplace.Catalog.Search;
using Marketplace.Testing;

namespace Marketplace.Catalog.Tests;

public sealed class ModerationTests(CatalogHost catalog) : IClassFixture<CatalogHost>
{
    [Fact]
    public async Task Only_an_approved_product_is_visible_to_shoppers()
    {
        var cooperative = await catalog.NewCooperativeAsync();
        var member = await catalog.NewMemberAsync(cooperative.Id);
        var shopper = catalog.Anonymous();

        var draft = await catalog.CreateProductAsync(member);
        Assert.Equal(ProductStatus.Draft, draft.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await shopper.GetAsync(new Uri($"/api/catalog/products/{draft.Id}", UriKind.Relative))).StatusCode);

        var submitted = await catalog.As(member.Token).PostAsync(new Uri($"/api/catalog/products/{draft.Id}/submit", UriKind.Relative), null);
        Assert.Equal(ProductStatus.Submitted, (await submitted.Content.ReadFromJsonAsync<ManagedProductResponse>())!.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await shopper.GetAsync(new Uri($"/api/catalog/products/{draft.Id}", UriKind.Relative))).StatusCode);

        var queue = await catalog.As(TestTokens.CooperativeAdmin(cooperative.Id)).GetFromJsonAsync<List<ManagedProductResponse>>($"/api/catalog/cooperatives/{cooperative.Id}/review-queue");
        Assert.Contains(queue!, p => p.Id == draft.Id);

        var approved = await catalog.As(TestTokens.CooperativeAdmin(cooperative.Id)).PostAsync(new Uri($"/api/catalog/products/{draft.Id}/approve", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        var seen = await shopper.GetFromJsonAsync<ProductResponse>($"/api/catalog/products/{draft.Id}");
        Assert.Equal("Kerupuk Ikan Tenggiri", seen!.Listing.NameId);
        Assert.Equal(25_000, Assert.Single(seen.Variants).PriceRupiah);
    }

    [Fact]
    public async Task A_rejected_product_tells_its_member_why_and_can_be_fixed_and_resubmitted()
    {
        var cooperative = await catalog.NewCooperativeAsync();
        var member = await catalog.NewMemberAsync(cooperative.Id);
        var admin = catalog.As(TestTokens.CooperativeAdmin(cooperative.Id));
        var product = await catalog.CreateProductAsync(member);
        await catalog.As(member.Token).PostAsync(new Uri($"/api/catalog/products/{product.Id}/submit", UriKind.Relative), null);

        var rejected = await admin.PostAsJsonAsync($"/api/catalog/products/{product.Id}/reject", new { reason = "Foto kemasan belum jelas, nomor P-IRT tidak terbaca." });
        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);

        var mine = await catalog.As(member.Token).GetFromJsonAsync<ManagedProductResponse>($"/api/catalog/products/{product.Id}/manage");
        Assert.Equal(ProductStatus.Rejected, mine!.Status);
        Assert.Equal("Foto kemasan belum jelas, nomor P-IRT tidak terbaca.", mine.RejectionReason);

        var resubmitted = await catalog.As(member.Token).PostAsync(new Uri($"/api/catalog/products/{product.Id}/submit", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.OK, resubmitted.StatusCode);
        Assert.Null((await resubmitted.Content.ReadFromJsonAsync<ManagedProductResponse>())!.RejectionReason);
    }

    [Fact]
    public async Task A_rejection_needs_a_reason()
    {
        var cooperative = await catalog.NewCooperativeAsync();
        var member = await catalog.NewMemberAsync(cooperative.Id);
        var product = await catalog.CreateProductAsync(member);
        await catalog.As(member.Token).PostAsync(new Uri($"/api/catalog/products/{product.Id}/submit", UriKind.Relative), null);

        var response = await catalog.As(TestTokens.CooperativeAdmin(cooperative.Id)).PostAsJsonAsync($"/api/catalog/products/{product.Id}/reject", new { reason = " " });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("reason_required", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transitions_out_of_order_are_refused_with_409()
    {
        var cooperative = await catalog.NewCooperativeAsync();
        var member = await catalog.NewMemberAsync(cooperative.Id);
        var admin = catalog.As(TestTokens.CooperativeAdmin(cooperative.Id));
        var draft = await catalog.CreateProductAsync(member);
        var published = await catalog.PublishedProductAsync(member);

        var approveDraft = await admin.PostAsync(new Uri($"/api/catalog/products/{draft.Id}/approve", UriKind.Relative), null);
        var submitPublished = await catalog.As(member.Token).PostAsync(new Uri($"/api/catalog/products/{published.Id}/submit", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.Conflict, approveDraft.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, submitPublished.StatusCode);
    }

    [Fact]
    public async Task An_edit_to_a_published_product_waits_for_review_while_the_old_listing_stays_on_sale()
    {
        var cooperative = await catalog.NewCooperativeAsync();
        var member = await catalog.NewMemberAsync(cooperative.Id);
        var product = await catalog.PublishedProductAsync(member);
        var shopper = catalog.Anonymous();

        var edit = await catalog.As(member.Token).PutAsJsonAsync($"/api/catalog/products/{product.Id}/listing", new
        {
            category = "kerupuk",
            listing = new { nameId = "Kerupuk Tenggiri Super", descriptionId = "Lebih tebal dan renyah.", pirtNumber = "P-IRT No. 2020235010123-26", pirtValidUntil = "2029-06-30", halalCertificateNumber = "ID35110000123450923", halalValidUntil = "2030-01-31" },
        });
        Assert.Equal(HttpStatusCode.OK, edit.StatusCode);
        var managed = (await edit.Content.ReadFromJsonAsync<ManagedProductResponse>())!;
        Assert.Equal(ProductStatus.Published, managed.Status);
        Assert.Equal(RevisionStatus.Submitted, managed.RevisionStatus);
        Assert.Equal("Kerupuk Tenggiri Super", managed.PendingListing!.NameId);

        var whileWaiting = await shopper.GetFromJsonAsync<ProductResponse>($"/api/catalog/products/{product.Id}");
        Assert.Equal("Kerupuk Ikan Tenggiri", whileWaiting!.Listing.NameId);

        (await catalog.As(TestTokens.CooperativeAdmin(cooperative.Id)).PostAsync(new Uri($"/api/catalog/products/{product.Id}/approve", UriKind.Relative), null)).EnsureSuccessStatusCode();
        var afterApproval = await shopper.GetFromJsonAsync<ProductResponse>($"/api/catalog/products/{product.Id}");
        Assert.Equal("Kerupuk Tenggiri Super", afterApproval!.Listing.NameId);
    }

    [Fact]
    public async Task Price_and_stock_changes_apply_at_once_without_review()
    {
        var cooperative = await catalog.NewCooperativeAsync();
        var member = await catalog.NewMemberAsync(cooperative.Id);
        var product = await catalog.PublishedProductAsync(member);
        var variant = product.Variants[0];

        (await catalog.As(member.Token).PutAsJsonAsync($"/api/catalog/products/{product.Id}/variants/{variant.Id}/price", new { priceRupiah = 27_500 })).EnsureSuccessStatusCode();
        (await catalog.As(member.Token).PutAsJsonAsync($"/api/catalog/products/{product.Id}/variants/{variant.Id}/stock", new { onHand = 3, reason = "dihitung ulang" })).EnsureSuccessStatusCode();

        var seen = await catalog.Anonymous().GetFromJsonAsync<ProductResponse>($"/api/catalog/products/{product.Id}");
        Assert.Equal(27_500, seen!.Variants[0].PriceRupiah);
        Assert.Equal(3, seen.Variants[0].Available);
    }

    [Fact]
    public async Task An_archived_product_leaves_sale_and_cannot_be_edited()
    {
        var cooperative = await catalog.NewCooperativeAsync();
        var member = await catalog.NewMemberAsync(cooperative.Id);
        var product = await catalog.PublishedProductAsync(member);

        (await catalog.As(member.Token).PostAsync(new Uri($"/api/catalog/products/{product.Id}/archive", UriKind.Relative), null)).EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.NotFound, (await catalog.Anonymous().GetAsync(new Uri($"/api/catalog/products/{product.Id}", UriKind.Relative))).StatusCode);
        var price = await catalog.As(member.Token).PutAsJsonAsync($"/api/catalog/products/{product.Id}/variants/{product.Variants[0].Id}/price", new { priceRupiah = 10_000 });
        Assert.Equal(HttpStatusCode.Conflict, price.StatusCode);
    }

    [Fact]
    public async Task Suspending_a_member_takes_her_products_off_sale_and_reactivating_brings_them_back()
    {
        var cooperative = await catalog.NewCooperativeAsync();
        var member = await catalog.NewMemberAsync(cooperative.Id, "Ibu Rahayu Suspensi");
        var product = await catalog.PublishedProductAsync(member);
        var admin = catalog.As(TestTokens.CooperativeAdmin(cooperative.Id));

        (await admin.PostAsync(new Uri($"/api/catalog/members/{member.Id}/suspend", UriKind.Relative), null)).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.NotFound, (await catalog.Anonymous().GetAsync(new Uri($"/api/catalog/products/{product.Id}", UriKind.Relative))).StatusCode);
        var page = await catalog.Anonymous().GetFromJsonAsync<ProductPage>($"/api/catalog/products?cooperative={cooperative.Id}");
        Assert.DoesNotContain(page!.Items, p => p.Id == product.Id);
        var create = await catalog.As(member.Token).PostAsJsonAsync("/api/catalog/products", Requests.Crackers(stock: 0));
        Assert.Equal(HttpStatusCode.Conflict, create.StatusCode);

        (await admin.PostAsync(new Uri($"/api/catalog/members/{member.Id}/reactivate", UriKind.Relative), null)).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.OK, (await catalog.Anonymous().GetAsync(new Uri($"/api/catalog/products/{product.Id}", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Suspending_a_cooperative_takes_all_its_products_off_sale_until_it_is_reactivated()
    {
        var cooperative = await catalog.NewCooperativeAsync();
        var first = await catalog.NewMemberAsync(cooperative.Id);
        var second = await catalog.NewMemberAsync(cooperative.Id, "Ibu Kedua");
        var products = new[] { await catalog.PublishedProductAsync(first), await catalog.PublishedProductAsync(second) };
        var platform = catalog.As(TestTokens.PlatformAdmin());

        Assert.Equal(HttpStatusCode.Forbidden, (await catalog.As(TestTokens.CooperativeAdmin(cooperative.Id)).PostAsync(new Uri($"/api/catalog/cooperatives/{cooperative.Id}/suspend", UriKind.Relative), null)).StatusCode);
        (await platform.PostAsync(new Uri($"/api/catalog/cooperatives/{cooperative.Id}/suspend", UriKind.Relative), null)).EnsureSuccessStatusCode();
        foreach (var product in products)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await catalog.Anonymous().GetAsync(new Uri($"/api/catalog/products/{product.Id}", UriKind.Relative))).StatusCode);
        }

        (await platform.PostAsync(new Uri($"/api/catalog/cooperatives/{cooperative.Id}/reactivate", UriKind.Relative), null)).EnsureSuccessStatusCode();
        foreach (var product in products)
        {
            Assert.Equal(HttpStatusCode.OK, (await catalog.Anonymous().GetAsync(new Uri($"/api/catalog/products/{product.Id}", UriKind.Relative))).StatusCode);
        }
    }
}
