using Marketplace.Notifications.Cooperatives;
using Marketplace.Notifications.Deliveries;
using Marketplace.Notifications.Digests;
using Marketplace.Notifications.People;
using Marketplace.Notifications.Shoppers;
using Marketplace.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Notifications;

public sealed class NotificationsDbContext(DbContextOptions<NotificationsDbContext> options) : DbContext(options)
{
    public const string Schema = "notifications";

    public DbSet<Notification> Notifications => Set<Notification>();

    public DbSet<KnownCooperative> Cooperatives => Set<KnownCooperative>();

    public DbSet<ShopperOrder> ShopperOrders => Set<ShopperOrder>();

    public DbSet<Person> People => Set<Person>();

    public DbSet<Digest> Digests => Set<Digest>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(NotificationsDbContext).Assembly);
        modelBuilder.AddOutboxAndInbox();
    }
}
