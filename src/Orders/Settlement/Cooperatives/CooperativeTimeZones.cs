using Marketplace.Orders.Settlement.Data;
using Marketplace.ServiceDefaults.Formatting;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Orders.Settlement.Cooperatives;

/// <summary>The time zone a cooperative's books are kept in, from Settlement's directory of cooperatives.</summary>
public static class CooperativeTimeZones
{
    /// <summary>Western Indonesia Time: where a cooperative is until Catalog says otherwise.</summary>
    public const string DefaultId = LocalTime.DefaultZone;

    /// <summary>
    /// The zone of an IANA id; the default for an id this machine does not know (a newer tz database in Catalog's
    /// container), so a report still answers, in the zone every cooperative starts in.
    /// </summary>
    public static TimeZoneInfo Find(string? id) => LocalTime.Zone(id);

    /// <summary>The cooperative's zone; the default for a cooperative whose messages have not arrived yet.</summary>
    public static async Task<TimeZoneInfo> OfAsync(SettlementDbContext db, Guid cooperativeId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var id = await db.Cooperatives.AsNoTracking().Where(c => c.CooperativeId == cooperativeId).Select(c => c.TimeZone).FirstOrDefaultAsync(cancellationToken);
        return Find(id);
    }
}
