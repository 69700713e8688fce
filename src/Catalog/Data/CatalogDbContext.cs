using Marketplace.Catalog.Cooperatives;
using Marketplace.Catalog.Images;
using Marketplace.Catalog.Members;
using Marketplace.Catalog.Permits;
using Marketplace.Catalog.Products;
using Marketplace.Catalog.Stock;
using Marketplace.ServiceDefaults.Audit;
using Marketplace.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Catalog.Data;

public sealed class CatalogDbContext(DbContextOptions<CatalogDbContext> options) : DbContext(options)
{
    public const string Schema = "catalog";

    public DbSet<Cooperative> Cooperatives => Set<Cooperative>();

    public DbSet<Member> Members => Set<Member>();

    public DbSet<Product> Products => Set<Product>();

    public DbSet<ProductVariant> Variants => Set<ProductVariant>();

    public DbSet<StockReservation> StockReservations => Set<StockReservation>();

    public DbSet<StockBatch> StockBatches => Set<StockBatch>();

    public DbSet<StockMovement> StockMovements => Set<StockMovement>();

    public DbSet<StockAllocation> StockAllocations => Set<StockAllocation>();

    public DbSet<StockShortageRecord> StockShortages => Set<StockShortageRecord>();

    public DbSet<CounterStockKey> CounterStockKeys => Set<CounterStockKey>();

    public DbSet<Deliveries.Delivery> Deliveries => Set<Deliveries.Delivery>();

    public DbSet<ImageBlob> ImageBlobs => Set<ImageBlob>();

    public DbSet<ImageUpload> ImageUploads => Set<ImageUpload>();

    public DbSet<PermitReminder> PermitReminders => Set<PermitReminder>();

    public DbSet<Reviews.ProductReview> Reviews => Set<Reviews.ProductReview>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        // Trigram similarity lets "krupuk" find "kerupuk".
        modelBuilder.HasPostgresExtension("pg_trgm");
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(CatalogDbContext).Assembly);
        modelBuilder.AddOutboxAndInbox();
        modelBuilder.AddAuditTrail();
    }
}
