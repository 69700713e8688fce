using Marketplace.Orders.Baskets;
using Marketplace.Orders.Counter;
using Marketplace.Orders.Tills;
using Marketplace.Orders.Lifecycle;
using Marketplace.Orders.Merchants;
using Marketplace.Orders.OrderAggregate;
using Marketplace.Orders.RefundAggregate;
using Marketplace.Orders.Sellables;
using Marketplace.ServiceDefaults.Audit;
using Marketplace.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Orders;

public sealed class OrdersDbContext(DbContextOptions<OrdersDbContext> options) : DbContext(options)
{
    public const string Schema = "orders";

    public DbSet<Merchant> Merchants => Set<Merchant>();

    public DbSet<Sellable> Sellables => Set<Sellable>();

    public DbSet<MemberHoliday> MemberHolidays => Set<MemberHoliday>();

    public DbSet<Basket> Baskets => Set<Basket>();

    public DbSet<Order> Orders => Set<Order>();

    public DbSet<Refund> Refunds => Set<Refund>();

    public DbSet<Till> Tills => Set<Till>();

    public DbSet<TillSession> TillSessions => Set<TillSession>();

    public DbSet<TillMovement> TillMovements => Set<TillMovement>();

    public DbSet<ReceiptCounter> ReceiptCounters => Set<ReceiptCounter>();

    public DbSet<ProcessedStripeEvent> ProcessedStripeEvents => Set<ProcessedStripeEvent>();

    public DbSet<Disputes.OrderDispute> OrderDisputes => Set<Disputes.OrderDispute>();

    public DbSet<StripePayouts.StripePayoutReceived> StripePayouts => Set<StripePayouts.StripePayoutReceived>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        // Settlement's tables belong to its own context and schema.
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(OrdersDbContext).Assembly, t => t.Namespace?.StartsWith("Marketplace.Orders.Settlement", StringComparison.Ordinal) != true);
        modelBuilder.AddOutboxAndInbox();
        modelBuilder.AddAuditTrail();
    }
}
