using Marketplace.Catalog.Common;
using Marketplace.Catalog.Data;
using Marketplace.Catalog.Products;
using Marketplace.Contracts.Catalog;
using Marketplace.ServiceDefaults.Formatting;
using Marketplace.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Marketplace.Catalog.Permits;

public sealed class PermitReminderOptions
{
    /// <summary>
    /// How often each replica looks. Reminders go by the cooperative's day, so an hour late is on time, and between
    /// looks the sweep costs nothing.
    /// </summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>
/// Tells a member that a published product's P-IRT permit or halal certificate runs out in 90 days, in 30 days, and
/// today, by the date where her cooperative is. Each reminder (product, permit, valid-until date, threshold) is sent
/// once: its row in <c>permit_reminders</c> and its outbox message are written in one transaction, and the row's key
/// lets only one of two replicas sweeping at once write it. A permit first seen already past a threshold (20 days
/// left) gets only the nearest one passed (30), never the ones before it all at once; one already expired is shown as
/// such on the product's pages but not reminded.
/// </summary>
public sealed class PermitReminderSweep(
    IServiceScopeFactory scopes,
    IOptions<PermitReminderOptions> options,
    TimeProvider clock,
    ILogger<PermitReminderSweep> logger) : PeriodicSweep(clock, logger)
{
    public const string Pirt = "pirt";
    public const string Halal = "halal";

    /// <summary>Days left at which the member is reminded, nearest first.</summary>
    public static IReadOnlyList<int> Thresholds { get; } = [0, 30, 90];

    // Sent in transactions of this many, so a first sweep over a large catalogue holds no long transaction.
    private const int ChunkSize = 100;

    protected override TimeSpan Interval => options.Value.Interval;

    protected override string Doing => "Sending permit reminders";

    /// <summary>Sends the reminders due now; returns how many this sweep sent (another replica's are not counted).</summary>
    public override async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var now = Clock.GetUtcNow();
        List<PermitExpiring> due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            due = await FindDueAsync(scope.ServiceProvider.GetRequiredService<CatalogDbContext>(), now, cancellationToken);
        }

        var sent = 0;
        foreach (var chunk in due.Chunk(ChunkSize))
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
            var outbox = scope.ServiceProvider.GetRequiredService<IOutbox>();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            foreach (var message in chunk)
            {
                // Of two replicas inserting the same key, the second waits for the first to commit and inserts nothing. The
                // nearer-threshold check keeps a reminder already overtaken (30 sent, 90 computed late) from going out.
                var inserted = await db.Database.ExecuteSqlAsync($"""
                    INSERT INTO catalog.permit_reminders (product_id, permit, valid_until, days_left, sent_at)
                    SELECT {message.ProductId}, {message.Permit}, {message.ValidUntil}, {message.DaysLeft}, {now}
                    WHERE NOT EXISTS (
                        SELECT 1 FROM catalog.permit_reminders r
                        WHERE r.product_id = {message.ProductId} AND r.permit = {message.Permit} AND r.valid_until = {message.ValidUntil}
                          AND r.days_left <= {message.DaysLeft})
                    ON CONFLICT DO NOTHING
                    """, cancellationToken);
                if (inserted == 1)
                {
                    outbox.Publish(message, message.ProductId.ToString());
                    sent++;
                }
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return sent;
    }

    /// <summary>
    /// Published products with a permit running out within the furthest threshold (one indexed query), less what was
    /// already sent. In the same order for every replica, so two inserting the same keys never deadlock.
    /// </summary>
    private static async Task<List<PermitExpiring>> FindDueAsync(CatalogDbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Any zone's date is within a day of UTC's: the window is a day wider each side, then each product is judged by
        // its cooperative's own date.
        var utcToday = DateOnly.FromDateTime(now.UtcDateTime);
        var earliest = utcToday.AddDays(-1);
        var latest = utcToday.AddDays(Thresholds[^1] + 1);
        var candidates = await (
                from p in db.Products.AsNoTracking()
                join c in db.Cooperatives.AsNoTracking() on p.CooperativeId equals c.Id
                where p.Status == ProductStatus.Published
                      && ((p.Listing.PirtValidUntil >= earliest && p.Listing.PirtValidUntil <= latest)
                          || (p.Listing.HalalValidUntil >= earliest && p.Listing.HalalValidUntil <= latest))
                select new
                {
                    p.Id,
                    p.CooperativeId,
                    p.MemberId,
                    p.Listing.NameId,
                    c.TimeZone,
                    p.Listing.PirtNumber,
                    p.Listing.PirtValidUntil,
                    p.Listing.HalalCertificateNumber,
                    p.Listing.HalalValidUntil,
                })
            .ToListAsync(cancellationToken);
        if (candidates.Count == 0)
        {
            return [];
        }

        var ids = candidates.Select(c => c.Id).ToList();
        var sent = (await db.PermitReminders.AsNoTracking().Where(r => ids.Contains(r.ProductId))
                .Select(r => new { r.ProductId, r.Permit, r.ValidUntil, r.DaysLeft })
                .ToListAsync(cancellationToken))
            .ToLookup(r => (r.ProductId, r.Permit, r.ValidUntil), r => r.DaysLeft);

        var due = new List<PermitExpiring>();
        foreach (var product in candidates)
        {
            var today = LocalTime.Today(now, product.TimeZone);
            foreach (var (permit, number, validUntil) in new[] { (Pirt, product.PirtNumber, product.PirtValidUntil), (Halal, product.HalalCertificateNumber, product.HalalValidUntil) })
            {
                if (number is null || validUntil is not { } date || ThresholdReached(date.DayNumber - today.DayNumber) is not { } threshold
                    || sent[(product.Id, permit, date)].Any(daysLeft => daysLeft <= threshold))
                {
                    continue;
                }

                due.Add(new PermitExpiring(product.Id, product.CooperativeId, product.MemberId, product.NameId, permit, number, date, threshold));
            }
        }

        return due.OrderBy(d => d.ProductId).ThenBy(d => d.Permit, StringComparer.Ordinal).ToList();
    }

    /// <summary>The nearest threshold at or above the days left (20 days: 30); none past expiry or beyond the furthest.</summary>
    public static int? ThresholdReached(int daysLeft) =>
        daysLeft < 0 ? null : Thresholds.Where(t => daysLeft <= t).Select(t => (int?)t).FirstOrDefault();
}
