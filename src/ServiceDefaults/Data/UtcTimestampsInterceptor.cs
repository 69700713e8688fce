using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Marketplace.ServiceDefaults.Data;

/// <summary>
/// PostgreSQL's <c>timestamptz</c> takes only UTC instants from Npgsql, and messages and requests carry local times
/// (Western Indonesia Time): every <see cref="DateTimeOffset"/> an entity is saved with is converted to UTC first,
/// the same instant, so no caller has to remember.
/// </summary>
public sealed class UtcTimestampsInterceptor : SaveChangesInterceptor
{
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Normalize(eventData.Context);
        return base.SavingChanges(eventData, result);
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Normalize(eventData.Context);
        return base.SavingChangesAsync(eventData, result, cancellationToken);
    }

    private static void Normalize(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        foreach (var entry in context.ChangeTracker.Entries().Where(e => e.State is EntityState.Added or EntityState.Modified))
        {
            foreach (var property in entry.Properties)
            {
                if (property.CurrentValue is DateTimeOffset { Offset.Ticks: not 0 } local)
                {
                    property.CurrentValue = local.ToUniversalTime();
                }
            }
        }
    }
}
