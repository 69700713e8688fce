using System.Net;
using System.Net.Http.Json;
using Marketplace.Catalog.Products;
using Marketplace.Testing;

namespace Marketplace.Catalog.Tests;

/// <summary>What the admin reviewing a product is told about it.</summary>
public sealed class ReviewQueueTests(CatalogHost catalog) : IClassFixture<CatalogHost>
{
    [Fact]
    public async Task The_review_queue_flags_what_is_under_review_a_pending_edit_that_drops_the_halal_certificate()
    {
        var cooperative = await catalog.NewCooperativeAsync();
        var member = await catalog.NewMemberAsync(cooperative.Id);
        var product = await catalog.PublishedProductAsync(member);

        var edit = await catalog.As(member.Token).PutAsJsonAsync($"/api/catalog/products/{product.Id}/listing", new
        {
            category = "kerupuk",
            listing = new { nameId = "Kerupuk Tenggiri Resep Baru", descriptionId = "Resep baru, belum disertifikasi halal.", pirtNumber = "P-IRT No. 2020235010123-26", pirtValidUntil = "2029-06-30" },
        });
        Assert.Equal(HttpStatusCode.OK, edit.StatusCode);

        var queue = await catalog.As(TestTokens.CooperativeAdmin(cooperative.Id)).GetFromJsonAsync<List<ManagedProductResponse>>($"/api/catalog/cooperatives/{cooperative.Id}/review-queue");
        var reviewed = Assert.Single(queue!, p => p.Id == product.Id);
        Assert.Equal([Compliance.HalalNotCertified], reviewed.Compliance.Flags);
        Assert.Empty(product.Compliance.Flags);
    }
}
