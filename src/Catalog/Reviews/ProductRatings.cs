using Marketplace.Catalog.Data;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Catalog.Reviews;

/// <summary>
/// A product's rating kept on its row (<c>rating_average</c>, <c>rating_count</c>) for search to sort by, recounted
/// from its approved reviews whenever one is approved or taken down, in the same transaction.
/// </summary>
public static class ProductRatings
{
    /// <summary>Holds the product's row until the transaction ends: recounts of one product take turns.</summary>
    public static Task LockAsync(CatalogDbContext db, Guid productId, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"SELECT 1 FROM catalog.products WHERE id = {productId} FOR NO KEY UPDATE", cancellationToken);

    public static Task RecountAsync(CatalogDbContext db, Guid productId, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync(
            $"""
            UPDATE catalog.products p SET rating_count = s.n, rating_average = s.average
            FROM (SELECT count(*)::int AS n, round(avg(rating), 2) AS average
                  FROM catalog.product_reviews WHERE product_id = {productId} AND status = 'Approved') s
            WHERE p.id = {productId}
            """,
            cancellationToken);

    /// <summary>A maker's rating over all her products' approved reviews (one indexed look-up).</summary>
    public static async Task<RatingResponse?> OfMakerAsync(CatalogDbContext db, Guid memberId, CancellationToken cancellationToken)
    {
        var sums = await db.Reviews.AsNoTracking()
            .Where(r => r.MemberId == memberId && r.Status == ReviewStatus.Approved)
            .GroupBy(r => 1)
            .Select(g => new { Count = g.Count(), Average = g.Average(r => (decimal?)r.Rating) })
            .FirstOrDefaultAsync(cancellationToken);
        return sums is null ? null : RatingResponse.Of(sums.Average is { } a ? Math.Round(a, 2) : null, sums.Count);
    }
}
