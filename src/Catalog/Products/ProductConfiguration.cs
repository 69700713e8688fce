using Marketplace.ServiceDefaults.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Catalog.Products;

internal sealed class ProductConfiguration : IEntityTypeConfiguration<Product>
{
    public void Configure(EntityTypeBuilder<Product> builder)
    {
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).ValueGeneratedNever();
        builder.HasOne<Members.Member>().WithMany().HasForeignKey(p => p.MemberId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Cooperatives.Cooperative>().WithMany().HasForeignKey(p => p.CooperativeId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(p => p.MakerName).HasMaxLength(80);
        builder.Property(p => p.Category).HasMaxLength(40);
        builder.Property(p => p.PendingCategory).HasMaxLength(40);
        builder.Property(p => p.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(p => p.RevisionStatus).HasConversion<string>().HasMaxLength(20);
        builder.Property(p => p.RejectionReason).HasMaxLength(1000);
        builder.Property(p => p.RevisionRejectionReason).HasMaxLength(1000);
        // Concurrency on the revision the domain bumps, not on xmin: a trigger on variants writes in_stock
        // into this row when availability flips, and that must not fail a member's concurrent edit.
        builder.Property(p => p.Revision).IsConcurrencyToken();
        builder.Ignore(p => p.AwaitingReview);
        builder.Ignore(p => p.ListingUnderReview);

        builder.OwnsOne(p => p.Listing, ConfigureListing);
        builder.OwnsOne(p => p.PendingListing, listing => listing.ToJson("pending_listing"));

        builder.HasMany(p => p.Variants).WithOne().HasForeignKey(v => v.ProductId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(p => p.Variants).HasField("_variants").UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.HasMany(p => p.Images).WithOne().HasForeignKey(i => i.ProductId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(p => p.Images).HasField("_images").UsePropertyAccessMode(PropertyAccessMode.Field);

        // Search: weighted full text over names, then maker, then descriptions, in both languages ('simple':
        // PostgreSQL has no Indonesian stemmer). Misspellings are corrected against search_words (a view of
        // this column's vocabulary), not matched row by row.
        builder.Property<NpgsqlTypes.NpgsqlTsVector>("SearchVector")
            .HasComputedColumnSql(
                "setweight(to_tsvector('simple', coalesce(name_id, '') || ' ' || coalesce(name_en, '')), 'A') || "
                + "setweight(to_tsvector('simple', coalesce(maker_name, '')), 'B') || "
                + "setweight(to_tsvector('simple', coalesce(description_id, '') || ' ' || coalesce(description_en, '')), 'C')",
                stored: true);
        // Relevance is a tier, not a score: every word in the name, else in the name and maker, else anywhere.
        // Each tier has its own vector and index, so a broad search takes the newest few of its best tier from
        // the index instead of scoring every match (see ProductSearch). fastupdate off: a search never wades
        // through a pending list of recent edits, and products are written far less often than searched.
        builder.Property<NpgsqlTypes.NpgsqlTsVector>("NameVector")
            .HasComputedColumnSql("to_tsvector('simple', coalesce(name_id, '') || ' ' || coalesce(name_en, ''))", stored: true);
        builder.Property<NpgsqlTypes.NpgsqlTsVector>("NameMakerVector")
            .HasComputedColumnSql(
                "to_tsvector('simple', coalesce(name_id, '') || ' ' || coalesce(name_en, '') || ' ' || coalesce(maker_name, ''))",
                stored: true);
        // Partial, like every shopper's query: a capped count of a search's matches is then read from the index alone.
        builder.HasIndex("SearchVector").HasMethod("GIN").HasFilter("on_sale").HasStorageParameter("fastupdate", false);
        builder.HasIndex("NameVector").HasMethod("GIN").HasFilter("on_sale").HasStorageParameter("fastupdate", false);
        builder.HasIndex("NameMakerVector").HasMethod("GIN").HasFilter("on_sale").HasStorageParameter("fastupdate", false);

        // Shoppers only ever query what is on sale: keep those indexes small.
        builder.HasIndex(p => new { p.CooperativeId, p.PublishedAt }).HasFilter("on_sale");
        builder.HasIndex(p => new { p.Category, p.MinPriceRupiah }).HasFilter("on_sale");
        builder.HasIndex(p => p.MinPriceRupiah).HasFilter("on_sale");
        // ix_products_newest (the SearchTiers migration) covers in_stock, which this model does not map.
        builder.HasIndex(p => p.MemberId);
        builder.HasIndex(p => new { p.CooperativeId, p.Status });
        builder.Property(p => p.RatingAverage).HasPrecision(3, 2);
        // ix_products_rating (the ProductReviews migration, NULLS LAST, which this model cannot say) serves sort=rating.
    }

    private static void ConfigureListing(OwnedNavigationBuilder<Product, ProductListing> listing)
    {
        listing.Property(l => l.NameId).HasColumnName("name_id").HasMaxLength(120);
        listing.Property(l => l.NameEn).HasColumnName("name_en").HasMaxLength(120);
        listing.Property(l => l.DescriptionId).HasColumnName("description_id").HasMaxLength(4000);
        listing.Property(l => l.DescriptionEn).HasColumnName("description_en").HasMaxLength(4000);
        listing.Property(l => l.PackagingType).HasColumnName("packaging_type").HasMaxLength(60);
        listing.Property(l => l.NetContent).HasColumnName("net_content").HasMaxLength(40);
        listing.Property(l => l.ShelfLifeDays).HasColumnName("shelf_life_days");
        listing.Property(l => l.Ingredients).HasColumnName("ingredients").HasMaxLength(2000);
        listing.Property(l => l.Allergens).HasColumnName("allergens").HasMaxLength(500);
        listing.Property(l => l.StorageNote).HasColumnName("storage_note").HasMaxLength(500);
        listing.Property(l => l.PirtNumber).HasColumnName("pirt_number").HasMaxLength(60);
        listing.Property(l => l.PirtValidUntil).HasColumnName("pirt_valid_until");
        listing.Property(l => l.BpomNumber).HasColumnName("bpom_number").HasMaxLength(60);
        listing.Property(l => l.HalalCertificateNumber).HasColumnName("halal_certificate_number").HasMaxLength(60);
        listing.Property(l => l.HalalValidUntil).HasColumnName("halal_valid_until");
        // The hourly permit sweep (PermitReminders) looks up published products by the dates their permits run out.
        listing.HasIndex(l => l.PirtValidUntil).HasDatabaseName("ix_products_pirt_valid_until").HasFilter("status = 'Published'");
        listing.HasIndex(l => l.HalalValidUntil).HasDatabaseName("ix_products_halal_valid_until").HasFilter("status = 'Published'");
    }
}

internal sealed class ProductVariantConfiguration : IEntityTypeConfiguration<ProductVariant>
{
    public void Configure(EntityTypeBuilder<ProductVariant> builder)
    {
        builder.ToTable("variants", t =>
        {
            // The last line of defence against overselling, whatever the code above it does.
            t.HasCheckConstraint("ck_variants_stock", "on_hand >= 0 AND reserved >= 0 AND reserved <= on_hand");
            t.HasCheckConstraint("ck_variants_price", "price_rupiah > 0");
        });
        builder.HasKey(v => v.Id);
        builder.Property(v => v.Id).ValueGeneratedNever();
        builder.Property(v => v.Sku).HasMaxLength(40);
        builder.Property(v => v.Label).HasMaxLength(60);
        builder.HasIndex(v => new { v.ProductId, v.Sku }).IsUnique();
        // "In stock" filters probe this small index instead of every variant.
        builder.HasIndex(v => v.ProductId).HasDatabaseName("ix_variants_available").HasFilter("active AND on_hand > reserved");
        // Reservations change Reserved with atomic SQL; EF must never write a stale copy back.
        builder.Property(v => v.Reserved).Metadata.SetAfterSaveBehavior(Microsoft.EntityFrameworkCore.Metadata.PropertySaveBehavior.Ignore);
        // On hand is the sum of the variant's movements, kept by the stock book's SQL; EF writes it only at creation.
        builder.Property(v => v.OnHand).Metadata.SetAfterSaveBehavior(Microsoft.EntityFrameworkCore.Metadata.PropertySaveBehavior.Ignore);
        builder.Property(v => v.LowStockThreshold).Metadata.SetAfterSaveBehavior(Microsoft.EntityFrameworkCore.Metadata.PropertySaveBehavior.Ignore);
        builder.Property(v => v.LowStockWarned).Metadata.SetAfterSaveBehavior(Microsoft.EntityFrameworkCore.Metadata.PropertySaveBehavior.Ignore);
        builder.Ignore(v => v.Available);
        builder.Ignore(v => v.LowStock);
    }
}

internal sealed class ProductImageConfiguration : IEntityTypeConfiguration<ProductImage>
{
    public void Configure(EntityTypeBuilder<ProductImage> builder)
    {
        builder.ToTable("product_images");
        builder.HasKey(i => i.Id);
        builder.Property(i => i.Id).ValueGeneratedNever();
        builder.Property(i => i.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(i => i.Error).HasMaxLength(300);
        builder.Property(i => i.Renditions).HasJsonConversion();
    }
}
