using Marketplace.Orders.Merchants;
using Marketplace.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Orders.Data;

public sealed class OrdersDbContext(DbContextOptions<OrdersDbContext> options) : DbContext(options)
{
    public const string Schema = "orders";

    public DbSet<Merchant> Merchants => Set<Merchant>();

    public DbSet<Sellables.Sellable> Sellables => Set<Sellables.Sellable>();

    public DbSet<Baskets.Basket> Baskets => Set<Baskets.Basket>();

    public DbSet<Checkout.Order> Orders => Set<Checkout.Order>();

    public DbSet<Refunds.Refund> Refunds => Set<Refunds.Refund>();

    public DbSet<Payments.ProcessedStripeEvent> ProcessedStripeEvents => Set<Payments.ProcessedStripeEvent>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        // Settlement's tables belong to its own context and schema.
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(OrdersDbContext).Assembly, t => t.Namespace?.StartsWith("Marketplace.Orders.Settlement", StringComparison.Ordinal) != true);
        modelBuilder.AddOutboxAndInbox();
    }
}
