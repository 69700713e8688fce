using Marketplace.Catalog.Data;
using Marketplace.ServiceDefaults.Formatting;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Catalog.Common;

public static class CatalogClock
{
    /// <summary>
    /// Today where the cooperative is (its record's time zone; the default zone when none is at hand): permits and
    /// certificates expire by the local date.
    /// </summary>
    public static DateOnly Today(this TimeProvider clock, string? timeZone = null)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return LocalTime.Today(clock.GetUtcNow(), timeZone);
    }

    /// <summary>The cooperative's time zone, or null (the default) when there is no such cooperative.</summary>
    public static Task<string?> TimeZoneOfAsync(this CatalogDbContext db, Guid cooperativeId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Cooperatives.AsNoTracking().Where(c => c.Id == cooperativeId).Select(c => (string?)c.TimeZone).FirstOrDefaultAsync(cancellationToken);
    }
}
