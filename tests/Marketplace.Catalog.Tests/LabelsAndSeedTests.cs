using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using Marketplace.Catalog.Products;
using Marketplace.Catalog.Search;
using Marketplace.Catalog.Seed;
using Marketplace.Testing;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Catalog.Tests;

public sealed class LabelsAndSeedTests(CatalogHost catalog) : IClassFixture<CatalogHost>
{
    [Fact]
    public async Task A_products_QR_code_is_an_SVG_and_exists_only_while_it_is_on_sale()
    {
        var cooperative = await catalog.NewCooperativeAsync();
        var member = await catalog.NewMemberAsync(cooperative.Id);
        var published = await catalog.PublishedProductAsync(member);
        var draft = await catalog.CreateProductAsync(member);

        var qr = await catalog.Anonymous().GetAsync(new Uri($"/api/catalog/products/{published.Id}/qr.svg", UriKind.Relative));
        var none = await catalog.Anonymous().GetAsync(new Uri($"/api/catalog/products/{draft.Id}/qr.svg", UriKind.Relative));

        Assert.Equal("image/svg+xml", qr.Content.Headers.ContentType!.MediaType);
        Assert.Contains("<svg", await qr.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
    }

    [Fact]
    public async Task The_kiosk_gets_a_PDF_of_shelf_labels_for_every_product_on_sale()
    {
        var cooperative = await catalog.NewCooperativeAsync();
        var member = await catalog.NewMemberAsync(cooperative.Id);
        for (var i = 0; i < 23; i++)
        {
            await catalog.PublishedProductAsync(member, Requests.Crackers(name: $"Kerupuk Nomor {i}"));
        }

        var response = await catalog.As(TestTokens.CooperativeAdmin(cooperative.Id)).GetAsync(new Uri($"/api/catalog/cooperatives/{cooperative.Id}/shelf-labels.pdf", UriKind.Relative));
        var pdf = await response.Content.ReadAsByteArrayAsync();
        var text = Encoding.Latin1.GetString(pdf);

        Assert.Equal("application/pdf", response.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("%PDF-", text, StringComparison.Ordinal);
        // 23 labels, 21 to a sheet: two A4 pages.
        Assert.Equal(2, Regex.Count(text, @"/Type\s*/Page(?!s)"));
        // The shipped font is embedded, so the labels print the same anywhere.
        Assert.Contains("DejaVu#20Sans", text, StringComparison.Ordinal);
        Assert.Contains("/FontFile2", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shelf_labels_are_for_the_cooperatives_own_admins_only()
    {
        var cooperative = await catalog.NewCooperativeAsync();
        var member = await catalog.NewMemberAsync(cooperative.Id);
        var url = new Uri($"/api/catalog/cooperatives/{cooperative.Id}/shelf-labels.pdf", UriKind.Relative);

        Assert.Equal(HttpStatusCode.NotFound, (await catalog.As(TestTokens.CooperativeAdmin(Guid.NewGuid())).GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await catalog.As(member.Token).GetAsync(url)).StatusCode);
    }

    [Fact]
    public async Task The_demo_store_is_seeded_once_with_thirty_products_on_sale_with_photos()
    {
        await DemoSeeder.SeedAsync(catalog.Host.Services, CancellationToken.None);
        await DemoSeeder.SeedAsync(catalog.Host.Services, CancellationToken.None);

        var cooperativeId = await catalog.InDbAsync(db => db.Cooperatives.Where(c => c.Slug == DemoSeeder.Slug).Select(c => c.Id).SingleAsync());
        var page = await Eventually.GetAsync(
            async () => (await catalog.Anonymous().GetFromJsonAsync<ProductPage>($"/api/catalog/products?cooperative={cooperativeId}&pageSize=48"))!,
            p => p.Items.Count == 30 && p.Items.All(i => i.ImageUrl is not null),
            TimeSpan.FromMinutes(4),
            "every demo photo to be processed");

        Assert.Equal(30, page.Total);
        Assert.Contains(page.Items, p => p.IsFood && !p.HalalCertified);
        var members = await catalog.InDbAsync(db => db.Members.CountAsync(m => m.CooperativeId == cooperativeId));
        Assert.Equal(5, members);
    }
}
