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

        // Locked, so the dispatcher cannot send it half-filled and another event for the same subject waits its turn; one
        // the dispatcher has just sent no longer matches and a new one opens.
        var open = await db.Digests
            .FromSql($"SELECT * FROM notifications.digests WHERE kind = {kind.ToString()} AND subject_id = {subjectId} AND status = 'Open' FOR UPDATE")
            .FirstOrDefaultAsync(cancellationToken);
        if (open is null)
        {
            var now = clock.GetUtcNow();
            var zone = await db.Cooperatives.AsNoTracking().Where(c => c.CooperativeId == cooperativeId).Select(c => c.TimeZone).FirstOrDefaultAsync(cancellationToken);
            open = Digest.Open(kind, subjectId, cooperativeId, now, QuietHours.Respect(now + options.Value.DigestDelay, zone ?? LocalTime.DefaultZone));
            db.Digests.Add(open);
        }

        open.Add(items);
    }
}
