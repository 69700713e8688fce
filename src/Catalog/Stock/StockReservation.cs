using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Catalog.Stock;

public enum ReservationStatus
{
    Held,
    Refused,
    Confirmed,
    Released,
    Expired,
    ConfirmationFailed,
}

/// <summary>
/// Stock held for one order, keyed by the order id: a repeated request for the same order finds it and
/// answers the same way instead of holding the stock twice.
/// </summary>
public sealed class StockReservation
{
    public Guid OrderId { get; set; }

    public Guid CooperativeId { get; set; }

    public ReservationStatus Status { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? ClosedAt { get; set; }

    public List<StockReservationLine> Lines { get; set; } = [];
}

public sealed class StockReservationLine
{
    public Guid OrderId { get; set; }

    public Guid VariantId { get; set; }

    public int Quantity { get; set; }
}

internal sealed class StockReservationConfiguration : IEntityTypeConfiguration<StockReservation>
{
    public void Configure(EntityTypeBuilder<StockReservation> builder)
    {
        builder.ToTable("stock_reservations");
        builder.HasKey(r => r.OrderId);
        builder.Property(r => r.OrderId).ValueGeneratedNever();
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(24);
        builder.HasIndex(r => r.ExpiresAt).HasFilter("status = 'Held'").HasDatabaseName("ix_stock_reservations_held_expiry");
        builder.HasMany(r => r.Lines).WithOne().HasForeignKey(l => l.OrderId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class StockReservationLineConfiguration : IEntityTypeConfiguration<StockReservationLine>
{
    public void Configure(EntityTypeBuilder<StockReservationLine> builder)
    {
        builder.ToTable("stock_reservation_lines", t => t.HasCheckConstraint("ck_reservation_lines_quantity", "quantity > 0"));
        builder.HasKey(l => new { l.OrderId, l.VariantId });
        builder.HasOne<Products.ProductVariant>().WithMany().HasForeignKey(l => l.VariantId).OnDelete(DeleteBehavior.Restrict);
    }
}
