using Marketplace.Catalog.Products;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Catalog.Stock;

/// <summary>Why a product size's stock on hand changed: the kinds of line on its stock card.</summary>
public static class MovementKinds
{
    public const string Received = "received";
    public const string SoldOnline = "sold_online";
    public const string SoldAtCounter = "sold_at_counter";
    public const string Returned = "returned";
    public const string Restocked = "restocked";
    public const string Expired = "expired";
    public const string Counted = "counted";
    public const string Adjusted = "adjusted";

    public static IReadOnlyList<string> All { get; } = [Received, SoldOnline, SoldAtCounter, Returned, Restocked, Expired, Counted, Adjusted];
}

/// <summary>
/// Goods of one product size that came to the kiosk together: their dates, what each cost its member, and how many of
/// them are still on the shelf. A variant's stock on hand is the sum of its batches' remaining, which
/// <see cref="StockBook"/> keeps, and the database refuses a batch below zero or above what it received.
/// </summary>
public sealed class StockBatch
{
    private StockBatch()
    {
    }

    public Guid Id { get; private set; }

    public Guid VariantId { get; private set; }

    public Guid MemberId { get; private set; }

    public DateOnly? ProducedOn { get; private set; }

    /// <summary>The last day the goods may be sold; none for goods that keep (they are sold last).</summary>
    public DateOnly? ExpiresOn { get; private set; }

    /// <summary>What one unit cost its member, whole rupiah; null when she did not say.</summary>
    public long? CostPerUnitRupiah { get; private set; }

    public int QuantityReceived { get; private set; }

    public int Remaining { get; private set; }

    public Guid? DeliveryId { get; private set; }

    public DateTimeOffset ReceivedAt { get; private set; }

    /// <summary>A batch as it arrives; its stock is added by the movement recorded with it.</summary>
    internal static StockBatch Open(Guid variantId, Guid memberId, int quantity, DateOnly? producedOn, DateOnly? expiresOn, long? costPerUnit, Guid? deliveryId, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        VariantId = variantId,
        MemberId = memberId,
        ProducedOn = producedOn,
        ExpiresOn = expiresOn,
        CostPerUnitRupiah = costPerUnit,
        QuantityReceived = quantity,
        Remaining = quantity,
        DeliveryId = deliveryId,
        ReceivedAt = now,
    };
}

/// <summary>One line of a stock card: a signed change to one batch of one variant, by whom, when and why.</summary>
public sealed class StockMovement
{
    private StockMovement()
    {
    }

    public long Id { get; private set; }

    public Guid VariantId { get; private set; }

    public Guid BatchId { get; private set; }

    public string Kind { get; private set; } = string.Empty;

    public int Quantity { get; private set; }

    /// <summary>The variant's stock on hand right after this movement.</summary>
    public int OnHandAfter { get; private set; }

    /// <summary>The user id of who made it, or "system" for the service's own jobs.</summary>
    public string MadeBy { get; private set; } = string.Empty;

    public DateTimeOffset At { get; private set; }

    public string? Reason { get; private set; }

    public Guid? OrderId { get; private set; }

    public Guid? DeliveryId { get; private set; }

    internal static StockMovement Opening(StockBatch batch, string by, string reason, DateTimeOffset now) => new()
    {
        VariantId = batch.VariantId,
        BatchId = batch.Id,
        Kind = MovementKinds.Received,
        Quantity = batch.QuantityReceived,
        OnHandAfter = batch.QuantityReceived,
        MadeBy = by,
        At = now,
        Reason = reason,
    };
}

/// <summary>How many of an order's goods came from which batch, so that cancelling it puts them back where they were.</summary>
public sealed class StockAllocation
{
    private StockAllocation()
    {
    }

    public Guid OrderId { get; private set; }

    public Guid BatchId { get; private set; }

    public Guid VariantId { get; private set; }

    public int Quantity { get; private set; }
}

internal sealed class StockBatchConfiguration : IEntityTypeConfiguration<StockBatch>
{
    public void Configure(EntityTypeBuilder<StockBatch> builder)
    {
        builder.ToTable("stock_batches", t =>
        {
            t.HasCheckConstraint("ck_stock_batches_remaining", "remaining >= 0 AND remaining <= quantity_received");
            t.HasCheckConstraint("ck_stock_batches_cost", "cost_per_unit_rupiah IS NULL OR cost_per_unit_rupiah >= 0");
        });
        builder.HasKey(b => b.Id);
        builder.Property(b => b.Id).ValueGeneratedNever();
        builder.HasOne<ProductVariant>().WithMany().HasForeignKey(b => b.VariantId).OnDelete(DeleteBehavior.Cascade);
        // First-expiring-first-out picks among a variant's batches with stock left; the expiry sweep and the "expiring
        // soon" lists look only at batches with stock left.
        builder.HasIndex(b => new { b.VariantId, b.ExpiresOn }).HasFilter("remaining > 0").HasDatabaseName("ix_stock_batches_open");
        builder.HasIndex(b => b.ExpiresOn).HasFilter("remaining > 0 AND expires_on IS NOT NULL").HasDatabaseName("ix_stock_batches_expiring");
    }
}

internal sealed class StockMovementConfiguration : IEntityTypeConfiguration<StockMovement>
{
    public void Configure(EntityTypeBuilder<StockMovement> builder)
    {
        builder.ToTable("stock_movements", t =>
        {
            t.HasCheckConstraint("ck_stock_movements_quantity", "quantity <> 0");
            t.HasCheckConstraint("ck_stock_movements_kind",
                "kind IN ('received','sold_online','sold_at_counter','returned','restocked','expired','counted','adjusted')");
        });
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Id).UseIdentityAlwaysColumn();
        builder.Property(m => m.Kind).HasMaxLength(20);
        builder.Property(m => m.MadeBy).HasMaxLength(64);
        builder.Property(m => m.Reason).HasMaxLength(300);
        builder.HasOne<ProductVariant>().WithMany().HasForeignKey(m => m.VariantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<StockBatch>().WithMany().HasForeignKey(m => m.BatchId).OnDelete(DeleteBehavior.Restrict);
        // The card reads a variant's movements newest first.
        builder.HasIndex(m => new { m.VariantId, m.Id }).IsDescending(false, true);
    }
}

internal sealed class StockAllocationConfiguration : IEntityTypeConfiguration<StockAllocation>
{
    public void Configure(EntityTypeBuilder<StockAllocation> builder)
    {
        builder.ToTable("stock_allocations", t => t.HasCheckConstraint("ck_stock_allocations_quantity", "quantity > 0"));
        builder.HasKey(a => new { a.OrderId, a.BatchId });
        builder.HasOne<StockBatch>().WithMany().HasForeignKey(a => a.BatchId).OnDelete(DeleteBehavior.Restrict);
    }
}
