using Marketplace.Catalog.Products;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Catalog.Stock;

/// <summary>
/// Goods sold at the counter that the books did not have: the clerk had them in her hand, so the sale stood, and on hand
/// stayed at zero. Open until the next stock count of the size settles it, or until the goods come back over the
/// counter (<see cref="Returned"/> of them closed it so far).
/// </summary>
public sealed class StockShortageRecord
{
    private StockShortageRecord()
    {
    }

    public Guid Id { get; private set; }

    public Guid CooperativeId { get; private set; }

    public Guid VariantId { get; private set; }

    public Guid OrderId { get; private set; }

    /// <summary>How many were sold beyond what the books had.</summary>
    public int Quantity { get; private set; }

    /// <summary>How many of them came back over the counter before any count settled them.</summary>
    public int Returned { get; private set; }

    public DateTimeOffset At { get; private set; }

    public DateTimeOffset? ResolvedAt { get; private set; }

    /// <summary>What settled it: <c>count</c> (a stock count of the size) or <c>return</c> (the goods came back).</summary>
    public string? ResolvedBy { get; private set; }
}

/// <summary>
/// The natural key of a counter stock message already applied: a sale's order id, or a return's refund id. Written in the
/// same transaction as the movements, so a repeat (a new message id for the same sale) takes or returns nothing more.
/// </summary>
public sealed class CounterStockKey
{
    private CounterStockKey()
    {
    }

    public Guid Key { get; private set; }

    public string Kind { get; private set; } = string.Empty;

    public Guid OrderId { get; private set; }

    public DateTimeOffset At { get; private set; }
}

internal sealed class StockShortageRecordConfiguration : IEntityTypeConfiguration<StockShortageRecord>
{
    public void Configure(EntityTypeBuilder<StockShortageRecord> builder)
    {
        builder.ToTable("stock_shortages", t =>
        {
            t.HasCheckConstraint("ck_stock_shortages_quantity", "quantity > 0 AND returned >= 0 AND returned <= quantity");
            t.HasCheckConstraint("ck_stock_shortages_resolved_by", "resolved_by IS NULL OR resolved_by IN ('count','return')");
        });
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.ResolvedBy).HasMaxLength(10);
        builder.HasOne<ProductVariant>().WithMany().HasForeignKey(s => s.VariantId).OnDelete(DeleteBehavior.Cascade);
        // One shortage per size of a sale: a repeated sale cannot flag it twice.
        builder.HasIndex(s => new { s.OrderId, s.VariantId }).IsUnique();
        // The admins' list and a count's resolution read only the open ones.
        builder.HasIndex(s => new { s.CooperativeId, s.VariantId }).HasFilter("resolved_at IS NULL").HasDatabaseName("ix_stock_shortages_open");
    }
}

internal sealed class CounterStockKeyConfiguration : IEntityTypeConfiguration<CounterStockKey>
{
    public void Configure(EntityTypeBuilder<CounterStockKey> builder)
    {
        builder.ToTable("counter_stock_keys", t => t.HasCheckConstraint("ck_counter_stock_keys_kind", "kind IN ('sale','return')"));
        builder.HasKey(k => k.Key);
        builder.Property(k => k.Key).ValueGeneratedNever();
        builder.Property(k => k.Kind).HasMaxLength(10);
    }
}
