using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Marketplace.Contracts.Catalog;
using Marketplace.ServiceDefaults.Messaging;
using Marketplace.Testing;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Catalog.Tests;

/// <summary>What a product's review tells the cooperative's admins and the member: each step once, through the outbox.</summary>
public sealed class ReviewEventsTests(CatalogHost catalog) : IClassFixture<CatalogHost>
{
    [Fact]
    public async Task Submitting_rejecting_resubmitting_and_approving_each_publish_their_event_once()
    {
        var cooperative = await catalog.NewCooperativeAsync();
        var member = await catalog.NewMemberAsync(cooperative.Id);
        var admin = catalog.As(TestTokens.CooperativeAdmin(cooperative.Id));
        var product = await catalog.CreateProductAsync(member, Requests.Crackers("Kerupuk Ikan Tenggiri Pedas"));
        var approvedHeard = new ConcurrentBag<ProductApproved>();
        var handle = catalog.Host.GetRequired<IBus>().ConnectReceiveEndpoint("test-review-events-" + Guid.NewGuid().ToString("N")[..8],
            e => e.Handler<ProductApproved>(context =>
            {
                approvedHeard.Add(context.Message);
                return Task.CompletedTask;
            }));
        await handle.Ready;

        // A step refused tells nobody anything.
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsync(new Uri($"/api/catalog/products/{product.Id}/approve", UriKind.Relative), null)).StatusCode);
        Assert.Empty(await PublishedAsync<ProductApproved>(catalog, e => e.ProductId == product.Id));

        (await catalog.As(member.Token).PostAsync(new Uri($"/api/catalog/products/{product.Id}/submit", UriKind.Relative), null)).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync($"/api/catalog/products/{product.Id}/reject", new { reason = "Nomor P-IRT di foto kemasan tidak terbaca." })).EnsureSuccessStatusCode();
        (await catalog.As(member.Token).PostAsync(new Uri($"/api/catalog/products/{product.Id}/submit", UriKind.Relative), null)).EnsureSuccessStatusCode();
        (await admin.PostAsync(new Uri($"/api/catalog/products/{product.Id}/approve", UriKind.Relative), null)).EnsureSuccessStatusCode();

        var submitted = await PublishedAsync<ProductSubmittedForReview>(catalog, e => e.ProductId == product.Id);
        Assert.Equal(2, submitted.Count);
        Assert.All(submitted, e =>
        {
            Assert.Equal(member.Id, e.MemberId);
            Assert.Equal(cooperative.Id, e.CooperativeId);
            Assert.Equal("Kerupuk Ikan Tenggiri Pedas", e.Name);
        });
        var rejected = Assert.Single(await PublishedAsync<ProductRejected>(catalog, e => e.ProductId == product.Id));
        Assert.Equal("Nomor P-IRT di foto kemasan tidak terbaca.", rejected.Reason);
        Assert.Equal(member.Id, rejected.MemberId);
        Assert.Equal("Kerupuk Ikan Tenggiri Pedas", rejected.Name);
        var approved = Assert.Single(await PublishedAsync<ProductApproved>(catalog, e => e.ProductId == product.Id));
        Assert.Equal(member.Id, approved.MemberId);
        Assert.Equal("Kerupuk Ikan Tenggiri Pedas", approved.Name);

        // Through the broker, as Notifications hears it.
        await Eventually.TrueAsync(() => Task.FromResult(approvedHeard.Any(e => e.ProductId == product.Id)), because: "the approval to reach a consumer");
        await handle.StopAsync();
    }

    [Fact]
    public async Task An_edit_of_a_published_product_is_submitted_once_however_often_it_is_changed_and_its_review_names_the_new_name()
    {
        var cooperative = await catalog.NewCooperativeAsync();
        var member = await catalog.NewMemberAsync(cooperative.Id);
        var admin = catalog.As(TestTokens.CooperativeAdmin(cooperative.Id));
        var product = await catalog.PublishedProductAsync(member, Requests.Crackers("Kerupuk Udang"));
        Assert.Single(await PublishedAsync<ProductSubmittedForReview>(catalog, e => e.ProductId == product.Id));

        var edit = Listing(product.Listing, "Kerupuk Udang Rebon");
        (await catalog.As(member.Token).PutAsJsonAsync($"/api/catalog/products/{product.Id}/listing", new { category = product.Category, listing = edit })).EnsureSuccessStatusCode();
        // A second change to the edit still waiting is the same submission, not a new one for the admins.
        (await catalog.As(member.Token).PutAsJsonAsync($"/api/catalog/products/{product.Id}/listing", new { category = product.Category, listing = edit })).EnsureSuccessStatusCode();
        var submitted = await PublishedAsync<ProductSubmittedForReview>(catalog, e => e.ProductId == product.Id);
        Assert.Equal(["Kerupuk Udang", "Kerupuk Udang Rebon"], submitted.Select(e => e.Name));

        (await admin.PostAsJsonAsync($"/api/catalog/products/{product.Id}/reject", new { reason = "Nama baru belum sesuai label." })).EnsureSuccessStatusCode();
        var rejected = Assert.Single(await PublishedAsync<ProductRejected>(catalog, e => e.ProductId == product.Id));
        Assert.Equal(("Kerupuk Udang Rebon", "Nama baru belum sesuai label."), (rejected.Name, rejected.Reason));

        (await catalog.As(member.Token).PutAsJsonAsync($"/api/catalog/products/{product.Id}/listing", new { category = product.Category, listing = edit })).EnsureSuccessStatusCode();
        (await admin.PostAsync(new Uri($"/api/catalog/products/{product.Id}/approve", UriKind.Relative), null)).EnsureSuccessStatusCode();
        Assert.Equal(3, (await PublishedAsync<ProductSubmittedForReview>(catalog, e => e.ProductId == product.Id)).Count);
        var approved = await PublishedAsync<ProductApproved>(catalog, e => e.ProductId == product.Id);
        Assert.Equal(["Kerupuk Udang", "Kerupuk Udang Rebon"], approved.Select(e => e.Name));
    }

    [Fact]
    public async Task A_product_archived_while_waiting_for_review_is_neither_approved_nor_rejected()
    {
        var cooperative = await catalog.NewCooperativeAsync();
        var member = await catalog.NewMemberAsync(cooperative.Id);
        var product = await catalog.CreateProductAsync(member);
        (await catalog.As(member.Token).PostAsync(new Uri($"/api/catalog/products/{product.Id}/submit", UriKind.Relative), null)).EnsureSuccessStatusCode();
        (await catalog.As(member.Token).PostAsync(new Uri($"/api/catalog/products/{product.Id}/archive", UriKind.Relative), null)).EnsureSuccessStatusCode();

        Assert.Single(await PublishedAsync<ProductSubmittedForReview>(catalog, e => e.ProductId == product.Id));
        Assert.Empty(await PublishedAsync<ProductApproved>(catalog, e => e.ProductId == product.Id));
        Assert.Empty(await PublishedAsync<ProductRejected>(catalog, e => e.ProductId == product.Id));
    }

    private static object Listing(Products.ListingFields current, string nameId) => current with { NameId = nameId };

    /// <summary>The messages of one type Catalog's outbox holds, in the order published: written in the same transaction as the change.</summary>
    internal static Task<List<T>> PublishedAsync<T>(CatalogHost catalog, Func<T, bool> which)
        where T : class
    {
        var type = typeof(T).FullName + ",";
        return catalog.InDbAsync(async db => (await db.Set<OutboxMessage>().AsNoTracking()
                .Where(m => m.MessageType.StartsWith(type))
                .OrderBy(m => m.Sequence)
                .Select(m => m.Body)
                .ToListAsync())
            .Select(body => JsonSerializer.Deserialize<T>(body, JsonSerializerOptions.Web)!)
            .Where(which)
            .ToList());
    }
}
