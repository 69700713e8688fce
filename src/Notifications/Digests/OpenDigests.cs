using Marketplace.ServiceDefaults.Formatting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Marketplace.Notifications.Digests;

/// <summary>Puts an event's items into its subject's open digest, opening one when there is none.</summary>
public sealed class OpenDigests(NotificationsDbContext db, TimeProvider clock, IOptions<NotificationsOptions> options)
{
    /// <summary>Runs inside the consumer's transaction, which saves it; the open digest stays locked until then.</summary>
    public async Task AddAsync(DigestKind kind, Guid subjectId, Guid cooperativeId, IReadOnlyCollection<DigestItem> items, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0)
        {
            return;
        }

        var now = clock.GetUtcNow();
        var zone = await db.Cooperatives.AsNoTracking().Where(c => c.CooperativeId == cooperativeId).Select(c => c.TimeZone).FirstOrDefaultAsync(cancellationToken);
        var due = QuietHours.Respect(now + options.Value.DigestDelay, zone ?? LocalTime.DefaultZone).ToUniversalTime();
        // Twice at most: the digest found open may be sent (by the dispatcher) between the two statements below.
        for (var attempt = 0; attempt < 2; attempt++)
        {
            // Opens one unless one is open. Another event opening the same one at this moment is waited for and joined,
            // rather than failing on the unique index.
            await db.Database.ExecuteSqlAsync(
                $"""
                INSERT INTO notifications.digests (id, kind, subject_id, cooperative_id, items, status, opened_at, due_at)
                VALUES ({Guid.CreateVersion7()}, {kind.ToString()}, {subjectId}, {cooperativeId}, '[]'::jsonb, 'Open', {now}, {due})
                ON CONFLICT (kind, subject_id) WHERE status = 'Open' DO NOTHING
                """,
                cancellationToken);
            // Locked, so the dispatcher cannot send it half-filled and another event for the same subject waits its turn.
            var open = await db.Digests
                .FromSql($"SELECT * FROM notifications.digests WHERE kind = {kind.ToString()} AND subject_id = {subjectId} AND status = 'Open' FOR UPDATE")
                .FirstOrDefaultAsync(cancellationToken);
            if (open is not null)
            {
                open.Add(items);
                return;
            }
        }

        throw new InvalidOperationException($"No {kind} digest of {subjectId} could be opened; the event is tried again.");
    }
}
