using Marketplace.Catalog.Common;
using Marketplace.Catalog.Data;
using Marketplace.ServiceDefaults.Formatting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Marketplace.Catalog.Stock;

public sealed class BatchExpiryOptions
{
    /// <summary>
    /// How often each replica looks. Batches expire by the cooperative's date, so an hour late is on time; between
    /// looks, and when nothing has expired (one indexed query), the sweep costs nothing.
    /// </summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>
/// Takes an expired batch's goods off sale: an <c>expired</c> movement for what is left of it once its last day has
/// passed where its cooperative is. Two replicas sweeping at once are safe: each batch is re-read under its variant's
/// lock, so the second finds nothing left. Goods of an expired batch that an order still holds stay until the hold ends
/// (a paid order takes a good batch before an expired one); the next sweep takes what the hold gave back.
/// </summary>
public sealed class BatchExpirySweep(
    IServiceScopeFactory scopes,
    IOptions<BatchExpiryOptions> options,
    TimeProvider clock,
    ILogger<BatchExpirySweep> logger) : PeriodicSweep(clock, logger)
{
    // Batches expired in one transaction, so a large first sweep holds no long transaction.
    private const int ChunkSize = 50;

    protected override TimeSpan Interval => options.Value.Interval;

    protected override string Doing => "Taking expired batches off sale";

    /// <summary>Takes expired stock off sale; returns how many units this sweep took (another replica's are not counted).</summary>
    public override async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var now = Clock.GetUtcNow();
        List<ExpiredCandidate> due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
            // Any zone's date is within a day of UTC's: candidates are judged below by their cooperative's own date.
            var latest = DateOnly.FromDateTime(now.UtcDateTime).AddDays(1);
            var candidates = await (
                    from b in db.StockBatches.AsNoTracking()
                    join v in db.Variants.AsNoTracking() on b.VariantId equals v.Id
                    join p in db.Products.AsNoTracking() on v.ProductId equals p.Id
                    join c in db.Cooperatives.AsNoTracking() on p.CooperativeId equals c.Id
                    where b.Remaining > 0 && b.ExpiresOn != null && b.ExpiresOn < latest
                    select new { b.Id, b.VariantId, ExpiresOn = b.ExpiresOn!.Value, c.TimeZone })
                .ToListAsync(cancellationToken);
            due = candidates.Where(c => c.ExpiresOn < LocalTime.Today(now, c.TimeZone))
                .Select(c => new ExpiredCandidate(c.Id, c.VariantId, c.ExpiresOn))
                // Variants in id order, as every stock operation locks them: no deadlock with a sale or another replica.
                .OrderBy(c => c.VariantId).ThenBy(c => c.BatchId).ToList();
        }

        var taken = 0;
        foreach (var chunk in due.Chunk(ChunkSize))
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
            var book = scope.ServiceProvider.GetRequiredService<StockBook>();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            foreach (var candidate in chunk)
            {
                taken += await book.ExpireAsync(candidate.VariantId, candidate.BatchId, candidate.ExpiresOn, cancellationToken);
            }

            await book.CheckLowStockAsync(chunk.Select(c => c.VariantId), cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return taken;
    }

    private sealed record ExpiredCandidate(Guid BatchId, Guid VariantId, DateOnly ExpiresOn);
}
