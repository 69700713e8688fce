using Marketplace.Catalog.Common;
using Marketplace.Catalog.Data;
using Marketplace.Catalog.Members;
using Marketplace.ServiceDefaults.Audit;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Catalog.Products;

public sealed record CreateProductRequest(string Category, ListingFields Listing, IReadOnlyList<VariantFields> Variants);

public sealed record EditListingRequest(string Category, ListingFields Listing);

public sealed record RejectRequest(string Reason);

public sealed record SetPriceRequest(long PriceRupiah);

/// <summary>Stock on hand as it is now; the difference becomes an <c>adjusted</c> movement on the size's card, with its reason (required when on hand changes).</summary>
public sealed record SetStockRequest(int OnHand, string? Reason = null);

public static class ProductsApi
{
    public static RouteGroupBuilder MapProductsApi(this RouteGroupBuilder api)
    {
        var products = api.MapGroup("/products").WithTags("Products");

        products.MapGet("/{id:guid}", GetPublishedAsync)
            .WithName("GetProduct")
            .WithSummary("A product on sale, as shoppers see it: variants, stock, photos, permits and halal status.");

        products.MapPost("/", CreateAsync)
            .RequireAuthorization(MarketplacePolicies.Member)
            .WithName("CreateProduct")
            .WithSummary("A member creates a draft product.");
        products.MapGet("/mine", ListMineAsync)
            .RequireAuthorization(MarketplacePolicies.Member)
            .WithName("ListMyProducts")
            .WithSummary("A member's own products, in every state.");
        products.MapGet("/{id:guid}/manage", GetManagedAsync)
            .RequireAuthorization()
            .WithName("GetManagedProduct")
            .WithSummary("A product with its moderation state, for its member and her cooperative's admins.");
        products.MapPut("/{id:guid}/listing", EditListingAsync)
            .RequireAuthorization(MarketplacePolicies.Member)
            .WithName("EditProductListing")
            .WithSummary("Edits the listing; a published product's edit waits for review while it stays on sale.");
        products.MapPost("/{id:guid}/submit", SubmitAsync)
            .RequireAuthorization(MarketplacePolicies.Member)
            .WithName("SubmitProduct")
            .WithSummary("Sends a draft or rejected product for review.");
        products.MapPost("/{id:guid}/archive", ArchiveAsync)
            .RequireAuthorization()
            .WithName("ArchiveProduct")
            .WithSummary("Takes a product off sale for good (its member or an admin).");
        products.MapPost("/{id:guid}/variants", AddVariantAsync)
            .RequireAuthorization(MarketplacePolicies.Member)
            .WithName("AddVariant")
            .WithSummary("Adds a variant (size) to a product.");
        products.MapPut("/{id:guid}/variants/{variantId:guid}/price", SetPriceAsync)
            .RequireAuthorization(MarketplacePolicies.Member)
            .WithName("SetVariantPrice")
            .WithSummary("Changes a variant's price; applies at once.");
        products.MapPut("/{id:guid}/variants/{variantId:guid}/stock", SetStockAsync)
            .RequireAuthorization()
            .WithName("SetVariantStock")
            .WithSummary("Corrects stock on hand with a reason: its member may lower it, an admin of its cooperative may also raise it.");

        products.MapPost("/{id:guid}/approve", ApproveAsync)
            .RequireAuthorization(MarketplacePolicies.CooperativeAdmin)
            .WithName("ApproveProduct")
            .WithSummary("Publishes a submitted product, or applies a published product's pending edit.");
        products.MapPost("/{id:guid}/reject", RejectAsync)
            .RequireAuthorization(MarketplacePolicies.CooperativeAdmin)
            .WithName("RejectProduct")
            .WithSummary("Rejects a submitted product or a pending edit, with a reason for the member.");

        api.MapGet("/cooperatives/{cooperativeId:guid}/review-queue", ReviewQueueAsync)
            .RequireAuthorization(MarketplacePolicies.CooperativeAdmin)
            .WithTags("Products")
            .WithName("ReviewQueue")
            .WithSummary("Products and edits waiting for an admin of this cooperative, oldest first.");
        return api;
    }

    public static async Task<Results<Ok<ProductResponse>, NotFound>> GetPublishedAsync(Guid id, CatalogDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var product = await db.Products.AsNoTracking().Include(p => p.Variants).Include(p => p.Images)
            .FirstOrDefaultAsync(p => p.Id == id && p.OnSale, cancellationToken);
        if (product is null)
        {
            return TypedResults.NotFound();
        }

        var maker = await db.Members.AsNoTracking().FirstOrDefaultAsync(m => m.Id == product.MemberId, cancellationToken);
        var today = clock.Today(await db.TimeZoneOfAsync(product.CooperativeId, cancellationToken));
        var sellable = await Stock.SellableStock.OfAsync(db, product.Variants.Select(v => v.Id).ToList(), today, cancellationToken);
        var response = ProductMapping.ToPublic(product, maker, today, sellable);
        // Her rating over all her products, for shoppers who judge the maker as much as the product.
        return TypedResults.Ok(response with { Maker = response.Maker with { Rating = await Reviews.ProductRatings.OfMakerAsync(db, product.MemberId, cancellationToken) } });
    }

    public static async Task<Created<ManagedProductResponse>> CreateAsync(
        CreateProductRequest request, HttpContext http, CatalogDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var member = await CurrentMemberAsync(http, db, cancellationToken);
        var now = clock.GetUtcNow();
        // Every refusal at once: the listing's fields, the category and each size's.
        var errors = new FieldErrors();
        var variants = request.Variants ?? [];
        for (var i = 0; i < variants.Count; i++)
        {
            StockComesByDelivery(errors, $"variants[{i}].stock", variants[i]?.Stock ?? 0);
        }

        var listing = errors.Check("listing", () => ProductListing.Create(request.Listing ?? throw new DomainException("The listing is required.", "listing_required")));
        var product = errors.Check(string.Empty, () => Product.CreateDraft(
            member.CooperativeId,
            member.Id,
            member.DisplayName,
            request.Category,
            listing ?? ProductListing.Placeholder,
            variants,
            now));
        errors.ThrowIfAny();
        db.Products.Add(product!);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/catalog/products/{product!.Id}/manage",
            ProductMapping.ToManaged(product, clock.Today(await db.TimeZoneOfAsync(member.CooperativeId, cancellationToken))));
    }

    public static async Task<Ok<List<ManagedProductResponse>>> ListMineAsync(HttpContext http, CatalogDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var memberId = http.User.MemberId();
        var products = await db.Products.AsNoTracking().Include(p => p.Variants).Include(p => p.Images)
            .Where(p => p.MemberId == memberId)
            .OrderByDescending(p => p.UpdatedAt)
            .Take(500)
            .AsSplitQuery()
            .ToListAsync(cancellationToken);
        // A member belongs to one cooperative: her products all run by its calendar.
        var today = products.Count == 0 ? clock.Today() : clock.Today(await db.TimeZoneOfAsync(products[0].CooperativeId, cancellationToken));
        return TypedResults.Ok(products.Select(p => ProductMapping.ToManaged(p, today)).ToList());
    }

    public static async Task<Results<Ok<ManagedProductResponse>, NotFound>> GetManagedAsync(
        Guid id, HttpContext http, CatalogDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var product = await LoadManageableAsync(id, http, db, allowAdmin: true, cancellationToken);
        return product is null
            ? TypedResults.NotFound()
            : TypedResults.Ok(ProductMapping.ToManaged(product, clock.Today(await db.TimeZoneOfAsync(product.CooperativeId, cancellationToken))));
    }

    public static Task<Results<Ok<ManagedProductResponse>, NotFound>> EditListingAsync(
        Guid id, EditListingRequest request, HttpContext http, CatalogDbContext db, ProductEvents events, TimeProvider clock, CancellationToken cancellationToken) =>
        ChangeAsync(id, http, db, events, clock, allowAdmin: false, "listing_edited",
            (p, now) =>
            {
                var errors = new FieldErrors();
                var listing = errors.Check("listing", () => ProductListing.Create(request.Listing ?? throw new DomainException("The listing is required.", "listing_required")));
                errors.Check(string.Empty, () => p.EditListing(request.Category, listing ?? ProductListing.Placeholder, now));
                errors.ThrowIfAny();
            }, cancellationToken);

    public static Task<Results<Ok<ManagedProductResponse>, NotFound>> SubmitAsync(
        Guid id, HttpContext http, CatalogDbContext db, ProductEvents events, TimeProvider clock, CancellationToken cancellationToken) =>
        ChangeAsync(id, http, db, events, clock, allowAdmin: false, "submitted", (p, now) => p.Submit(now), cancellationToken);

    public static Task<Results<Ok<ManagedProductResponse>, NotFound>> ArchiveAsync(
        Guid id, HttpContext http, CatalogDbContext db, ProductEvents events, TimeProvider clock, AuditTrail audit, CancellationToken cancellationToken) =>
        ChangeAsync(id, http, db, events, clock, allowAdmin: true, "archived", (p, now) => p.Archive(now), cancellationToken,
            audited: new AuditedChange(audit, "product.archived", Moderation));

    public static Task<Results<Ok<ManagedProductResponse>, NotFound>> AddVariantAsync(
        Guid id, VariantFields request, HttpContext http, CatalogDbContext db, ProductEvents events, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        StockComesByDelivery(errors, "stock", request?.Stock ?? 0);
        errors.ThrowIfAny();
        return ChangeAsync(id, http, db, events, clock, allowAdmin: false, "variant_added", (p, now) => p.AddVariant(request!, now), cancellationToken);
    }

    /// <summary>
    /// A size a member creates starts with nothing on the shelf: stock on hand rises only when an admin receives goods
    /// she brings to the kiosk (a delivery), so every unit on hand has a receipt behind it.
    /// </summary>
    private static void StockComesByDelivery(FieldErrors errors, string field, int stock)
    {
        if (stock != 0)
        {
            errors.Add(field, "stock_by_delivery", "A new size starts with no stock; bring the goods to the kiosk with a delivery.");
        }
    }

    public static Task<Results<Ok<ManagedProductResponse>, NotFound>> SetPriceAsync(
        Guid id, Guid variantId, SetPriceRequest request, HttpContext http, CatalogDbContext db, ProductEvents events, TimeProvider clock, AuditTrail audit,
        CancellationToken cancellationToken) =>
        ChangeAsync(id, http, db, events, clock, allowAdmin: false, "price_changed", (p, now) => p.SetPrice(variantId, request.PriceRupiah, now), cancellationToken,
            audited: new AuditedChange(audit, "product.price-changed",
                p => new { name = p.Listing.NameId, variantId, p.Variants.FirstOrDefault(v => v.Id == variantId)?.Label, p.Variants.FirstOrDefault(v => v.Id == variantId)?.PriceRupiah }));

    public static async Task<Results<Ok<ManagedProductResponse>, NotFound>> SetStockAsync(
        Guid id, Guid variantId, SetStockRequest request, HttpContext http, CatalogDbContext db, Stock.StockBook book, TimeProvider clock, AuditTrail audit,
        CancellationToken cancellationToken)
    {
        var product = await LoadManageableAsync(id, http, db, allowAdmin: true, cancellationToken);
        if (product is null || product.Variants.All(v => v.Id != variantId))
        {
            return TypedResults.NotFound();
        }

        var errors = new FieldErrors();
        if (request.OnHand is < 0 or > Stock.StockBook.MaxQuantity)
        {
            errors.Add("onHand", "invalid_stock", $"Stock on hand is 0 to {Stock.StockBook.MaxQuantity}.");
        }

        var reason = errors.Check("reason", () => Text.Optional(request.Reason, "reason", 300));
        // Goods reach the shelf only through a delivery received at the kiosk: she may take stock off (damaged, eaten by
        // mice), but only an admin corrects it upwards, as an adjustment with its reason.
        var admin = http.User.IsAdminOf(product.CooperativeId);
        if (!admin && !errors.Any && request.OnHand > product.Variants.First(v => v.Id == variantId).OnHand)
        {
            errors.Add("onHand", "stock_raise_by_delivery", "Stock on hand rises when the kiosk receives a delivery; you may only lower it here.");
        }

        // A stock card line nobody can explain is what the card exists to prevent: a change by hand says why.
        if (reason is null && !errors.Any && product.Variants.First(v => v.Id == variantId).OnHand != request.OnHand)
        {
            errors.Add("reason", "reason_required", "Say why stock on hand changes.");
        }

        errors.ThrowIfAny();
        product.RequireStockChangeable(variantId, clock.GetUtcNow());

        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            var variant = (await book.LockAsync(variantId, cancellationToken))!;
            if (!admin && request.OnHand > variant.OnHand)
            {
                // A sale between reading the product and locking it: lowering became raising.
                var late = new FieldErrors();
                late.Add("onHand", "stock_raise_by_delivery", "Stock on hand rises when the kiosk receives a delivery; you may only lower it here.");
                late.ThrowIfAny();
            }

            if (reason is null && variant.OnHand != request.OnHand)
            {
                // On hand moved (a sale, a receipt) between reading the product and locking it: the same rule, judged again.
                var late = new FieldErrors();
                late.Add("reason", "reason_required", "Say why stock on hand changes.");
                late.ThrowIfAny();
            }

            audit.Record(db, "stock.adjusted", product.CooperativeId, "variant", variantId,
                new { product = product.Listing.NameId, variant.OnHand }, new { product = product.Listing.NameId, request.OnHand }, reason);
            await book.SetOnHandAsync(variant, request.OnHand, Stock.MovementKinds.Adjusted, ByWhom(http), reason, cancellationToken);
            await book.CheckLowStockAsync([variantId], cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        db.ChangeTracker.Clear();
        product = (await LoadManageableAsync(id, http, db, allowAdmin: true, cancellationToken))!;
        return TypedResults.Ok(ProductMapping.ToManaged(product, clock.Today(await db.TimeZoneOfAsync(product.CooperativeId, cancellationToken))));
    }

    /// <summary>Who a stock card names for a change made through the API: the signed-in user's id.</summary>
    internal static string ByWhom(HttpContext http) => http.User.UserId()?.ToString() ?? "unknown";

    public static Task<Results<Ok<ManagedProductResponse>, NotFound>> ApproveAsync(
        Guid id, HttpContext http, CatalogDbContext db, ProductEvents events, TimeProvider clock, AuditTrail audit, CancellationToken cancellationToken) =>
        ChangeAsync(id, http, db, events, clock, allowAdmin: true, "approved", (p, now) => p.Approve(now), cancellationToken, adminOnly: true,
            audited: new AuditedChange(audit, "product.approved", Moderation));

    public static Task<Results<Ok<ManagedProductResponse>, NotFound>> RejectAsync(
        Guid id, RejectRequest request, HttpContext http, CatalogDbContext db, ProductEvents events, TimeProvider clock, AuditTrail audit, CancellationToken cancellationToken) =>
        ChangeAsync(id, http, db, events, clock, allowAdmin: true, "rejected", (p, now) => p.Reject(request.Reason, now), cancellationToken, adminOnly: true,
            audited: new AuditedChange(audit, "product.rejected", Moderation, request.Reason));

    /// <summary>What a moderation step changes: where the product and its pending edit stand.</summary>
    private static object Moderation(Product product) => new { name = product.ListingUnderReview.NameId, product.Status, product.RevisionStatus };

    /// <summary>A change the audit trail records: its action, the fields it shows before and after, and the reason given.</summary>
    private sealed record AuditedChange(AuditTrail Trail, string Action, Func<Product, object> Fields, string? Reason = null);

    public static async Task<Ok<List<ManagedProductResponse>>> ReviewQueueAsync(
        Guid cooperativeId, HttpContext http, CatalogDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!http.User.IsAdminOf(cooperativeId))
        {
            // Not this admin's cooperative: an empty queue tells nothing about another's.
            return TypedResults.Ok(new List<ManagedProductResponse>());
        }

        var products = await db.Products.AsNoTracking().Include(p => p.Variants).Include(p => p.Images)
            .Where(p => p.CooperativeId == cooperativeId
                && (p.Status == ProductStatus.Submitted || (p.Status == ProductStatus.Published && p.RevisionStatus == RevisionStatus.Submitted)))
            .OrderBy(p => p.UpdatedAt)
            .Take(200)
            .AsSplitQuery()
            .ToListAsync(cancellationToken);
        var today = clock.Today(await db.TimeZoneOfAsync(cooperativeId, cancellationToken));
        // The admin judges what is under review: a pending edit's flags, not those of the listing on sale.
        return TypedResults.Ok(products.Select(p => ProductMapping.ToManaged(p, today) with
        {
            Compliance = ProductMapping.ComplianceOf(p.PendingCategory ?? p.Category, p.PendingListing ?? p.Listing, today),
        }).ToList());
    }

    private static async Task<Results<Ok<ManagedProductResponse>, NotFound>> ChangeAsync(
        Guid id,
        HttpContext http,
        CatalogDbContext db,
        ProductEvents events,
        TimeProvider clock,
        bool allowAdmin,
        string reason,
        Action<Product, DateTimeOffset> change,
        CancellationToken cancellationToken,
        bool publish = true,
        bool adminOnly = false,
        AuditedChange? audited = null)
    {
        var product = await LoadManageableAsync(id, http, db, allowAdmin, cancellationToken, allowMember: !adminOnly);
        if (product is null)
        {
            return TypedResults.NotFound();
        }

        var now = clock.GetUtcNow();
        var wasOnSale = product.OnSale;
        var wasAwaitingReview = product.AwaitingReview;
        var before = audited?.Fields(product);
        change(product, now);
        audited?.Trail.Record(db, audited.Action, product.CooperativeId, "product", product.Id, before, audited.Fields(product), audited.Reason);
        if (publish)
        {
            events.PublishSaleChange(product, wasOnSale, now, reason);
        }

        events.PublishReviewChange(product, wasAwaitingReview, now);

        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(ProductMapping.ToManaged(product, clock.Today(await db.TimeZoneOfAsync(product.CooperativeId, cancellationToken))));
    }

    /// <summary>
    /// The product if the caller is its member (where allowed) or an admin of its cooperative (where allowed); otherwise null,
    /// answered as 404 so that nobody learns what other members or cooperatives have.
    /// </summary>
    private static async Task<Product?> LoadManageableAsync(
        Guid id, HttpContext http, CatalogDbContext db, bool allowAdmin, CancellationToken cancellationToken, bool allowMember = true)
    {
        var product = await db.Products.Include(p => p.Variants).Include(p => p.Images).AsSplitQuery()
            .FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (product is null)
        {
            return null;
        }

        var allowed = (allowMember && http.User.IsMember(product.MemberId)) || (allowAdmin && http.User.IsAdminOf(product.CooperativeId));
        return allowed ? product : null;
    }

    private static async Task<Member> CurrentMemberAsync(HttpContext http, CatalogDbContext db, CancellationToken cancellationToken)
    {
        var memberId = http.User.MemberId();
        var member = await db.Members.AsNoTracking().FirstOrDefaultAsync(m => m.Id == memberId, cancellationToken)
            ?? throw new NotFoundException("Your member profile is not known to the catalog yet.");
        if (!member.IsActive)
        {
            throw new ConflictException("A suspended member cannot list products.", "member_suspended");
        }

        if (!http.User.CooperativeIds().Contains(member.CooperativeId))
        {
            throw new NotFoundException("Your member profile is not known to the catalog yet.");
        }

        return member;
    }
}
