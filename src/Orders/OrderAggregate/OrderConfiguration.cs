using Marketplace.ServiceDefaults.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Orders.OrderAggregate;

internal sealed class OrderConfiguration : IEntityTypeConfiguration<Order>
{
    public void Configure(EntityTypeBuilder<Order> builder)
    {
        builder.ToTable("orders");
        builder.HasKey(o => o.Id);
        builder.Property(o => o.Owner).HasMaxLength(60);
        builder.HasIndex(o => o.Owner);
        builder.Property(o => o.PickupCode).HasMaxLength(6);
        builder.Property(o => o.Language).HasMaxLength(2).HasDefaultValue(ShopperLanguage.Indonesian);
        builder.HasIndex(o => new { o.CooperativeId, o.PickupCode });
        builder.HasIndex(o => new { o.CooperativeId, o.PlacedAt });
        builder.Property(o => o.Contact).HasJsonValueConversion();
        builder.Property(o => o.ShippingAddress).HasJsonValueConversion();
        builder.Property(o => o.Lines).HasJsonConversion();
        builder.Property(o => o.Shortages).HasJsonConversion();
        builder.Property(o => o.Status).HasConversion<string>().HasMaxLength(30);
        builder.Property(o => o.PaymentMethod).HasConversion<string>().HasMaxLength(10);
        builder.Property(o => o.PaymentChannel).HasConversion<string>().HasMaxLength(10);
        builder.Property(o => o.Fulfilment).HasConversion<string>().HasMaxLength(10);
        builder.Property(o => o.CheckoutSessionId).HasMaxLength(100);
        builder.Property(o => o.StripeAccountId).HasMaxLength(64);
        builder.HasIndex(o => o.CheckoutSessionId).IsUnique();
        builder.Property(o => o.CheckoutUrl).HasMaxLength(500);
        builder.Property(o => o.PaymentReference).HasMaxLength(100);
        builder.HasIndex(o => new { o.Status, o.PaymentDeadline });
        builder.Property(o => o.Courier).HasMaxLength(40);
        builder.Property(o => o.TrackingNumber).HasMaxLength(60);
        builder.Property(o => o.CancelledBy).HasMaxLength(20);
        builder.Property(o => o.CancelReason).HasMaxLength(200);
        builder.Property(o => o.PaymentFailure).HasMaxLength(40);
        builder.Property(o => o.ClientAddress).HasMaxLength(45);
        builder.Property(o => o.BuyerWhatsApp).HasMaxLength(20).HasDefaultValue(string.Empty);
        // Open unpaid orders are counted per number and per address at every checkout: only those rows are indexed.
        builder.HasIndex(o => new { o.CooperativeId, o.BuyerWhatsApp }).HasFilter("status IN ('Reserving', 'AwaitingKioskPayment', 'AwaitingPayment', 'ConfirmingPayment')").HasDatabaseName("ix_orders_open_by_whatsapp");
        builder.HasIndex(o => new { o.CooperativeId, o.ClientAddress }).HasFilter("status IN ('Reserving', 'AwaitingKioskPayment', 'AwaitingPayment', 'ConfirmingPayment')").HasDatabaseName("ix_orders_open_by_client");
        builder.Property(o => o.Version).IsRowVersion();
        // A walk-in sale's receipt number is the cooperative's own sequence: never two sales with one number.
        builder.Property(o => o.ReceiptNumber).HasMaxLength(20);
        builder.HasIndex(o => new { o.CooperativeId, o.ReceiptNumber }).IsUnique().HasFilter("receipt_number IS NOT NULL");
        builder.HasIndex(o => o.TillSessionId).HasFilter("till_session_id IS NOT NULL");
        builder.HasIndex(o => new { o.CooperativeId, o.PlacedAt }, "ix_orders_counter_flagged").HasFilter("counter_flagged").HasDatabaseName("ix_orders_counter_flagged");
        builder.Property(o => o.Counter).HasJsonValueConversion();
        builder.Property(o => o.Kuitansi).HasJsonValueConversion();
    }
}
