using System.Security.Cryptography;
using System.Text.Json;
using Marketplace.Catalog.Common;
using Marketplace.Catalog.Data;
using Marketplace.Catalog.Images;
using Marketplace.Catalog.Products;
using Marketplace.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;

namespace Marketplace.Catalog.Counter;

public sealed record CounterVariantResponse(Guid Id, string Label, string Sku, long PriceRupiah, int OnHand);

/// <summary>One product as the sale screen shows and keeps it on the device: names, maker, a small photo and its sizes.</summary>
public sealed record CounterProductResponse(
    Guid Id, Guid MemberId, string MakerName, bool MakerAway, string Category, string NameId, string? NameEn, string? PhotoUrl,
    IReadOnlyList<CounterVariantResponse> Variants);

public sealed record CounterCatalogueResponse(Guid CooperativeId, IReadOnlyList<CounterProductResponse> Products);

public static class CounterCatalogueApi
{
    private static readonly JsonSerializerOptions HashJson = new(JsonSerializerDefaults.Web);

    public static RouteGroupBuilder MapCounterCatalogueApi(this RouteGroupBuilder api)
    {
        api.MapGet("/cooperatives/{cooperativeId:guid}/counter-catalogue", GetAsync)
            .WithTags("Counter")
            .WithName("GetCounterCatalogue")
            .WithSummary("Everything the kiosk may sell (also out of stock, also of a member on holiday), with an ETag: If-None-Match answers 304 when unchanged.")
            .RequireClerkOfRouteCooperative();
        return api;
    }

    public static async Task<Results<Ok<CounterCatalogueResponse>, StatusCodeHttpResult, NotFound>> GetAsync(
        Guid cooperativeId, HttpContext http, CatalogDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var cooperative = await db.Cooperatives.AsNoTracking().FirstOrDefaultAsync(c => c.Id == cooperativeId, cancellationToken);
        if (cooperative is null)
        {
            return TypedResults.NotFound();
        }

        var today = clock.Today(cooperative.TimeZone);
        // Approved and its seller not suspended. Not "on sale": goods on the kiosk's shelf stay sellable while their
        // member is away and when the books say none are left (the clerk has them in her hand).
        var products = await db.Products.AsNoTracking().AsSplitQuery()
            .Include(p => p.Variants).Include(p => p.Images)
            .Where(p => p.CooperativeId == cooperativeId && p.Status == ProductStatus.Published && p.SellerActive)
            .OrderBy(p => p.Listing.NameId).ThenBy(p => p.Id)
            .ToListAsync(cancellationToken);
        var memberIds = products.Select(p => p.MemberId).Distinct().ToList();
        var away = await db.Members.AsNoTracking()
            .Where(m => memberIds.Contains(m.Id) && m.AwayFrom != null && m.AwayFrom <= today && m.AwayUntil >= today)
            .Select(m => m.Id).ToListAsync(cancellationToken);

        var response = new CounterCatalogueResponse(cooperativeId, products
            .Select(p => new CounterProductResponse(
                p.Id, p.MemberId, p.MakerName, away.Contains(p.MemberId), p.Category, p.Listing.NameId, p.Listing.NameEn,
                p.Images.Where(i => i.Status == ImageStatus.Ready).OrderBy(i => i.Position).Select(ImageUrls.Cover).FirstOrDefault(u => u is not null),
                p.Variants.Where(v => v.Active).OrderBy(v => v.PriceRupiah).ThenBy(v => v.Id)
                    .Select(v => new CounterVariantResponse(v.Id, v.Label, v.Sku, v.PriceRupiah, v.OnHand)).ToList()))
            .Where(p => p.Variants.Count > 0)
            .ToList());

        // The tag is the content's hash: any change a clerk would see (a price, a name, stock, a photo) changes it, and
        // nothing else does, so a device on a weak signal re-downloads the list only when it has to.
        var etag = $"\"{Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(response, HashJson)).AsSpan(0, 16))}\"";
        http.Response.Headers.ETag = etag;
        http.Response.Headers.CacheControl = "private, no-cache";
        if (Matches(http.Request.Headers.IfNoneMatch, etag))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        return TypedResults.Ok(response);
    }

    private static bool Matches(Microsoft.Extensions.Primitives.StringValues ifNoneMatch, string etag) =>
        EntityTagHeaderValue.TryParseList(ifNoneMatch, out var tags)
        && tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Tag.Equals(etag, StringComparison.Ordinal));
}
