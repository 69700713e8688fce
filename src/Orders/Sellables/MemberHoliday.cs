using MassTransit;
using Marketplace.Contracts.Catalog;
using Marketplace.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Orders.Sellables;

/// <summary>
/// Orders' own copy of a member's holiday (libur) from Catalog's <c>MemberUpdated</c>, so that checkout refuses to ship
/// her products meanwhile without calling Catalog. Days are her cooperative's calendar days, both inclusive.
/// </summary>
public sealed class MemberHoliday
{
    private MemberHoliday()
    {
    }

    public Guid MemberId { get; private set; }

    public DateOnly? AwayFrom { get; private set; }

    public DateOnly? AwayUntil { get; private set; }

    public long Revision { get; private set; }

    /// <summary>Her name as the cooperative shows it: a walk-in sale's receipt names each item's maker.</summary>
    public string? DisplayName { get; private set; }

    public static MemberHoliday For(Guid memberId) => new() { MemberId = memberId };

    public bool IsAwayOn(DateOnly day) => AwayFrom <= day && day <= AwayUntil;

    /// <summary>Applies a snapshot unless a newer one was already applied: snapshots may arrive in any order.</summary>
    public bool Apply(MemberUpdated snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (snapshot.Revision <= Revision)
        {
            return false;
        }

        AwayFrom = snapshot.AwayFrom;
        AwayUntil = snapshot.AwayUntil;
        DisplayName = string.IsNullOrWhiteSpace(snapshot.DisplayName) ? null : snapshot.DisplayName.Trim();
        Revision = snapshot.Revision;
        return true;
    }
}

internal sealed class MemberHolidayConfiguration : IEntityTypeConfiguration<MemberHoliday>
{
    public void Configure(EntityTypeBuilder<MemberHoliday> builder)
    {
        builder.ToTable("member_holidays");
        builder.HasKey(h => h.MemberId);
        builder.Property(h => h.MemberId).ValueGeneratedNever();
        builder.Property(h => h.DisplayName).HasMaxLength(120);
    }
}

/// <summary>Keeps <see cref="MemberHoliday"/> current; the revision makes the newest snapshot win whatever the order of arrival.</summary>
public sealed class MemberHolidayConsumer(OrdersDbContext db) : IdempotentConsumer<MemberUpdated, OrdersDbContext>(db)
{
    protected override async Task HandleAsync(MemberUpdated message, ConsumeContext<MemberUpdated> context, CancellationToken cancellationToken)
    {
        var holiday = await Db.MemberHolidays.FindAsync([message.MemberId], cancellationToken);
        if (holiday is null)
        {
            holiday = MemberHoliday.For(message.MemberId);
            Db.MemberHolidays.Add(holiday);
        }

        holiday.Apply(message);
    }
}

public static class MemberHolidays
{
    /// <summary>The last day away of each of these members who is away on <paramref name="day"/>.</summary>
    public static async Task<Dictionary<Guid, DateOnly>> AwayOnAsync(OrdersDbContext db, IEnumerable<Guid> memberIds, DateOnly day, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var ids = memberIds.Distinct().ToList();
        if (ids.Count == 0)
        {
            return [];
        }

        return await db.MemberHolidays.AsNoTracking()
            .Where(h => ids.Contains(h.MemberId) && h.AwayFrom <= day && h.AwayUntil >= day)
            .ToDictionaryAsync(h => h.MemberId, h => h.AwayUntil!.Value, cancellationToken);
    }
}
