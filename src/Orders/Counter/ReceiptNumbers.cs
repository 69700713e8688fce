using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Orders.Counter;

/// <summary>
/// Receipt numbers (nota) a person can read out: <c>K-</c>, the sale's day on the cooperative's calendar, and that day's
/// sequence at the cooperative, e.g. <c>K-20261201-0007</c>. The sequence is taken in the transaction that records the
/// sale, so a sale that is not recorded takes no number, and two sales never share one.
/// </summary>
public static class ReceiptNumbers
{
    public static string Format(DateOnly day, int sequence)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sequence);
        return string.Create(CultureInfo.InvariantCulture, $"K-{day:yyyyMMdd}-{sequence:D4}");
    }

    /// <summary>The next number of this day; call inside the transaction that saves the sale (its row stays locked until then).</summary>
    public static async Task<string> NextAsync(OrdersDbContext db, Guid cooperativeId, DateOnly day, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var next = await db.Database.SqlQuery<int>($"""
            INSERT INTO orders.receipt_counters (cooperative_id, day, last) VALUES ({cooperativeId}, {day}, 1)
            ON CONFLICT (cooperative_id, day) DO UPDATE SET last = receipt_counters.last + 1
            RETURNING last AS "Value"
            """).ToListAsync(cancellationToken);
        return Format(day, next.Single());
    }
}

/// <summary>The last receipt number given on one day at one cooperative.</summary>
public sealed class ReceiptCounter
{
    private ReceiptCounter()
    {
    }

    public Guid CooperativeId { get; private set; }

    public DateOnly Day { get; private set; }

    public int Last { get; private set; }
}

internal sealed class ReceiptCounterConfiguration : IEntityTypeConfiguration<ReceiptCounter>
{
    public void Configure(EntityTypeBuilder<ReceiptCounter> builder)
    {
        builder.ToTable("receipt_counters");
        builder.HasKey(c => new { c.CooperativeId, c.Day });
    }
}
