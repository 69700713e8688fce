using Marketplace.Catalog.Common;
using Marketplace.Catalog.Data;
using Marketplace.Catalog.Products;
using Marketplace.ServiceDefaults.Audit;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Catalog.Stock;

/// <summary>
/// A line of the card; <c>ByMember</c> names the member when <c>By</c> is her user id, <c>ByAdmin</c> the admin when it is
/// one whose name the cooperative's audit trail has (the card's pages cannot look either up).
/// </summary>
public sealed record MovementResponse(
    long Id, string Kind, int Quantity, int OnHandAfter, Guid BatchId, string By, DateTimeOffset At, string? Reason, Guid? OrderId, Guid? DeliveryId, string? ByMember = null, string? ByAdmin = null);

public sealed record BatchResponse(
    Guid Id, Guid VariantId, Guid MemberId, DateOnly? ProducedOn, DateOnly? ExpiresOn, long? CostPerUnitRupiah, int QuantityReceived, int Remaining, Guid? DeliveryId, DateTimeOffset ReceivedAt);

/// <summary>A size's stock card: where it stands, its batches still on the shelf, and a page of its movements, newest first.</summary>
public sealed record StockCardResponse(
    Guid VariantId, Guid ProductId, string Label, int OnHand, int Reserved, int? LowStockThreshold, IReadOnlyList<BatchResponse> Batches,
    IReadOnlyList<MovementResponse> Movements, int Page, int PageSize, int TotalMovements);

public sealed record ExpiringBatchResponse(BatchResponse Batch, Guid ProductId, string ProductName, string VariantLabel, int DaysLeft);

public sealed record ExpiringResponse(int WarningDays, IReadOnlyList<ExpiringBatchResponse> Batches);

public sealed record SetLowStockRequest(int? Threshold);

public sealed record CountLine(Guid VariantId, int Counted);

/// <summary>An opname: what an admin counted on the shelf, per size; each difference becomes a <c>counted</c> movement.</summary>
public sealed record StockCountRequest(IReadOnlyList<CountLine> Lines, string? Reason);

public sealed record CountedLineResponse(Guid VariantId, int Before, int Counted, int Difference);

public sealed record StockSettingsRequest(int ExpiryWarningDays);

/// <summary>A size on the cooperative's shelf, as the stock count (opname) page lists it.</summary>
public sealed record ShelfRowResponse(
    Guid ProductId, string ProductName, Guid MemberId, string MemberName, Guid VariantId, string Label, int OnHand, int Reserved, int? LowStockThreshold, bool LowStock);

/// <summary>An open shortage: goods of a size sold at the counter that the books did not have, still to be counted.</summary>
public sealed record ShortageResponse(
    Guid Id, Guid ProductId, string ProductName, string? ProductNameEn, Guid VariantId, string VariantLabel, string Sku, Guid MemberId, string MakerName,
    Guid OrderId, int Quantity, int OnHand, DateTimeOffset At);

/// <summary>What one unit of a batch cost its member, for a batch received without one (opening stock, older stock).</summary>
public sealed record SetBatchCostRequest(long? CostPerUnitRupiah);

public sealed record StockCheckResponse(bool Consistent, IReadOnlyList<StockMismatch> Mismatches);

public static class StockApi
{
    public const int MaxPageSize = 200;

    public static RouteGroupBuilder MapStockApi(this RouteGroupBuilder api)
    {
        var stock = api.MapGroup(string.Empty).WithTags("Stock");
        stock.MapGet("/products/{id:guid}/variants/{variantId:guid}/stock-card", GetCardAsync)
            .WithName("GetStockCard")
            .WithSummary("A size's stock card (its member or her cooperative's admins): batches on the shelf and movements, newest first.");
        stock.MapPut("/products/{id:guid}/variants/{variantId:guid}/batches/{batchId:guid}/cost", SetBatchCostAsync)
            .WithName("SetBatchCost")
            .WithSummary("Records the cost per unit of a batch that has none (its member or her cooperative's admins), once.");
        stock.MapPut("/products/{id:guid}/variants/{variantId:guid}/low-stock", SetLowStockAsync)
            .WithName("SetLowStockThreshold")
            .WithSummary("The stock level at or below which the member is told (null: never).");
        stock.MapGet("/cooperatives/{cooperativeId:guid}/stock/expiring", ExpiringAsync)
            .WithName("ListExpiringBatches")
            .WithSummary("Batches with stock left that expire within the cooperative's warning days: all of them for its admins, hers for a member.");
        stock.MapPost("/cooperatives/{cooperativeId:guid}/stock-counts", CountAsync)
            .WithName("PostStockCount")
            .WithSummary("An admin's stock count (opname): each difference becomes a counted movement.")
            .RequireAdminOfRouteCooperative(hideFromOthers: true);
        stock.MapGet("/cooperatives/{cooperativeId:guid}/stock", ShelfAsync)
            .WithName("ListShelf")
            .WithSummary("Every size of the cooperative's products with its stock, to count the shelf (its admins).")
            .RequireAdminOfRouteCooperative(hideFromOthers: true);
        stock.MapGet("/cooperatives/{cooperativeId:guid}/stock/shortages", ShortagesAsync)
            .WithName("ListStockShortages")
            .WithSummary("Goods sold at the counter beyond what the books had, not yet settled by a count: for the next stock count.")
            .RequireAdminOfRouteCooperative(hideFromOthers: true);
        stock.MapPut("/cooperatives/{cooperativeId:guid}/stock-settings", SetSettingsAsync)
            .WithName("SetStockSettings")
            .WithSummary("How many days before expiry batches are listed as expiring.")
            .RequireAdminOfRouteCooperative(hideFromOthers: true);
        stock.MapGet("/stock/check", CheckAsync)
            .WithName("CheckStock")
            .WithSummary("Platform check: every size's on hand equals the sum of its movements and of its batches.")
            .RequireAuthorization(MarketplacePolicies.PlatformAdmin);
        return api;
    }

    public static async Task<Results<Ok<StockCardResponse>, NotFound>> GetCardAsync(
        Guid id, Guid variantId, HttpContext http, CatalogDbContext db, int? page, int? pageSize, CancellationToken cancellationToken)
    {
        var variant = await ManageableVariantAsync(id, variantId, http, db, cancellationToken);
        if (variant is null)
        {
            return TypedResults.NotFound();
        }

        var size = Math.Clamp(pageSize ?? 50, 1, MaxPageSize);
        var number = Math.Max(page ?? 1, 1);
        var movements = await db.StockMovements.AsNoTracking().Where(m => m.VariantId == variantId)
            .OrderByDescending(m => m.Id).Skip((number - 1) * size).Take(size)
            .Select(m => new MovementResponse(m.Id, m.Kind, m.Quantity, m.OnHandAfter, m.BatchId, m.MadeBy, m.At, m.Reason, m.OrderId, m.DeliveryId))
            .ToListAsync(cancellationToken);
        var total = await db.StockMovements.CountAsync(m => m.VariantId == variantId, cancellationToken);
        var userIds = movements.Select(m => Guid.TryParse(m.By, out var user) ? user : (Guid?)null).Where(u => u is not null).Distinct().ToList();
        var cooperativeId = await db.Products.Where(p => p.Id == id).Select(p => p.CooperativeId).FirstAsync(cancellationToken);
        var names = await db.Members.AsNoTracking().Where(m => m.CooperativeId == cooperativeId && userIds.Contains(m.UserId))
            .Select(m => new { UserId = m.UserId!.Value, m.DisplayName }).ToDictionaryAsync(m => m.UserId.ToString(), m => m.DisplayName, cancellationToken);
        // Admins are not members: their names are those the audit trail recorded with their stock actions in this cooperative.
        var others = userIds.Select(u => u!.Value).Where(u => !names.ContainsKey(u.ToString())).ToList();
        var admins = others.Count == 0
            ? []
            : (await db.Set<AuditEntry>().AsNoTracking()
                .Where(e => e.CooperativeId == cooperativeId && e.ActorId != null && others.Contains(e.ActorId.Value) && e.ActorName != "")
                .Select(e => new { Id = e.ActorId!.Value, e.ActorName }).Distinct().ToListAsync(cancellationToken))
            .GroupBy(a => a.Id.ToString()).ToDictionary(g => g.Key, g => g.First().ActorName);
        movements = movements.Select(m => m with { ByMember = names.GetValueOrDefault(m.By), ByAdmin = admins.GetValueOrDefault(m.By) }).ToList();
        var batches = await db.StockBatches.AsNoTracking().Where(b => b.VariantId == variantId && b.Remaining > 0)
            .OrderBy(b => b.ExpiresOn == null).ThenBy(b => b.ExpiresOn).ThenBy(b => b.ReceivedAt)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new StockCardResponse(
            variant.Id, id, variant.Label, variant.OnHand, variant.Reserved, variant.LowStockThreshold, batches.Select(ToResponse).ToList(),
            movements, number, size, total));
    }

    /// <summary>
    /// A batch received without a cost (opening stock, stock from before the stock card, a line she left empty) gets one,
    /// once: goods sold from it from now on count at that cost in her laba. A cost already recorded is not changed, so
    /// the cost of goods already sold cannot be rewritten afterwards.
    /// </summary>
    public static async Task<Results<Ok<BatchResponse>, NotFound>> SetBatchCostAsync(
        Guid id, Guid variantId, Guid batchId, SetBatchCostRequest request, HttpContext http, CatalogDbContext db, AuditTrail audit, CancellationToken cancellationToken)
    {
        var variant = await ManageableVariantAsync(id, variantId, http, db, cancellationToken);
        if (variant is null || !await db.StockBatches.AnyAsync(b => b.Id == batchId && b.VariantId == variantId, cancellationToken))
        {
            return TypedResults.NotFound();
        }

        if (request.CostPerUnitRupiah is not { } cost || cost is < 0 or > Deliveries.DeliveriesApi.MaxCostPerUnit)
        {
            var errors = new FieldErrors();
            errors.Add("costPerUnitRupiah", "invalid_cost", $"A cost per unit is whole rupiah from 0 to {Deliveries.DeliveriesApi.MaxCostPerUnit:N0}.");
            errors.ThrowIfAny();
            return TypedResults.NotFound();
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // One statement decides: two people saving at once record one cost, the other is told it is there already.
        var set = await db.Database.ExecuteSqlAsync(
            $"UPDATE catalog.stock_batches SET cost_per_unit_rupiah = {cost} WHERE id = {batchId} AND variant_id = {variantId} AND cost_per_unit_rupiah IS NULL",
            cancellationToken);
        if (set == 0)
        {
            throw new ConflictException("This batch's cost is recorded already; it cannot be changed.", "cost_already_set");
        }

        var product = await db.Products.AsNoTracking().Where(p => p.Id == id).Select(p => new { p.CooperativeId, p.Listing.NameId }).FirstAsync(cancellationToken);
        audit.Record(db, "stock.cost-set", product.CooperativeId, "batch", batchId,
            new { product = product.NameId, variant.Label, costPerUnitRupiah = (long?)null }, new { product = product.NameId, variant.Label, costPerUnitRupiah = cost });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(ToResponse(await db.StockBatches.AsNoTracking().FirstAsync(b => b.Id == batchId, cancellationToken)));
    }

    public static async Task<Results<Ok<ManagedVariantResponse>, NotFound>> SetLowStockAsync(
        Guid id, Guid variantId, SetLowStockRequest request, HttpContext http, CatalogDbContext db, StockBook book, AuditTrail audit, CancellationToken cancellationToken)
    {
        var variant = await ManageableVariantAsync(id, variantId, http, db, cancellationToken);
        if (variant is null)
        {
            return TypedResults.NotFound();
        }

        if (request.Threshold is < 0 or > StockBook.MaxQuantity)
        {
            var errors = new FieldErrors();
            errors.Add("threshold", "invalid_threshold", $"A low-stock threshold is 0 to {StockBook.MaxQuantity}, or none.");
            errors.ThrowIfAny();
        }

        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            // A new threshold is judged afresh: if stock is already at or below it, she is told now.
            await db.Database.ExecuteSqlAsync(
                $"UPDATE catalog.variants SET low_stock_threshold = {request.Threshold}, low_stock_warned = false WHERE id = {variantId}", cancellationToken);
            await book.CheckLowStockAsync([variantId], cancellationToken);
            var product = await db.Products.AsNoTracking().Where(p => p.Id == id).Select(p => new { p.CooperativeId, p.Listing.NameId }).FirstAsync(cancellationToken);
            audit.Record(db, "stock.low-stock-set", product.CooperativeId, "variant", variantId,
                new { product = product.NameId, variant.Label, threshold = variant.LowStockThreshold },
                new { product = product.NameId, variant.Label, threshold = request.Threshold });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        var v = await db.Variants.AsNoTracking().FirstAsync(x => x.Id == variantId, cancellationToken);
        return TypedResults.Ok(new ManagedVariantResponse(v.Id, v.Sku, v.Label, v.PriceRupiah, v.WeightGrams, v.OnHand, v.Reserved, v.Available, v.Active, v.LowStockThreshold, v.LowStock));
    }

    public static async Task<Ok<ExpiringResponse>> ExpiringAsync(
        Guid cooperativeId, HttpContext http, CatalogDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var cooperative = await db.Cooperatives.AsNoTracking().FirstOrDefaultAsync(c => c.Id == cooperativeId, cancellationToken);
        var isAdmin = http.User.IsAdminOf(cooperativeId);
        var memberId = http.User.IsInRole(MarketplaceRoles.Member) ? http.User.MemberId() : null;
        if (cooperative is null || (!isAdmin && memberId is null))
        {
            // Not hers to see: an empty list tells nothing about another cooperative.
            return TypedResults.Ok(new ExpiringResponse(Cooperatives.Cooperative.DefaultExpiryWarningDays, []));
        }

        var today = clock.Today(cooperative.TimeZone);
        var until = today.AddDays(cooperative.ExpiryWarningDays);
        var rows = await (
                from b in db.StockBatches.AsNoTracking()
                join v in db.Variants.AsNoTracking() on b.VariantId equals v.Id
                join p in db.Products.AsNoTracking() on v.ProductId equals p.Id
                where p.CooperativeId == cooperativeId && b.Remaining > 0 && b.ExpiresOn != null && b.ExpiresOn <= until
                      && (isAdmin || p.MemberId == memberId)
                orderby b.ExpiresOn, p.Id
                select new { Batch = b, ProductId = p.Id, p.Listing.NameId, v.Label })
            .Take(500)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new ExpiringResponse(
            cooperative.ExpiryWarningDays,
            rows.Select(r => new ExpiringBatchResponse(ToResponse(r.Batch), r.ProductId, r.NameId, r.Label, r.Batch.ExpiresOn!.Value.DayNumber - today.DayNumber)).ToList()));
    }

    public static async Task<Ok<List<CountedLineResponse>>> CountAsync(
        Guid cooperativeId, StockCountRequest request, HttpContext http, CatalogDbContext db, StockBook book, AuditTrail audit, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var lines = request.Lines ?? [];
        if (lines.Count is 0 or > 500)
        {
            errors.Add("lines", "invalid_lines", "Count 1 to 500 sizes at a time.");
        }

        var reason = errors.Check("reason", () => Text.Optional(request.Reason, "reason", 300));
        var ids = lines.Select(l => l.VariantId).ToList();
        var ofCooperative = await db.Variants.AsNoTracking().Where(v => ids.Contains(v.Id))
            .Join(db.Products, v => v.ProductId, p => p.Id, (v, p) => new { v.Id, p.CooperativeId })
            .Where(x => x.CooperativeId == cooperativeId).Select(x => x.Id).ToListAsync(cancellationToken);
        for (var i = 0; i < lines.Count; i++)
        {
            if (!ofCooperative.Contains(lines[i].VariantId))
            {
                errors.Add($"lines[{i}].variantId", "unknown_variant", "This size is not one of the cooperative's.");
            }
            else if (ids.IndexOf(lines[i].VariantId) != i)
            {
                errors.Add($"lines[{i}].variantId", "duplicate_variant", "Each size is counted once.");
            }

            if (lines[i].Counted is < 0 or > StockBook.MaxQuantity)
            {
                errors.Add($"lines[{i}].counted", "invalid_stock", $"A count is 0 to {StockBook.MaxQuantity}.");
            }
        }

        errors.ThrowIfAny();
        var by = Products.ProductsApi.ByWhom(http);
        var counted = new List<CountedLineResponse>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var line in lines.OrderBy(l => l.VariantId))
        {
            var variant = (await book.LockAsync(line.VariantId, cancellationToken))!;
            await book.SetOnHandAsync(variant, line.Counted, MovementKinds.Counted, by, reason, cancellationToken);
            counted.Add(new CountedLineResponse(line.VariantId, variant.OnHand, line.Counted, line.Counted - variant.OnHand));
        }

        await book.CheckLowStockAsync(ids, cancellationToken);
        await book.ResolveShortagesByCountAsync(ids, cancellationToken);
        audit.Record(db, "stock.counted", cooperativeId, "stock-count", Guid.CreateVersion7(),
            counted.Select(c => new { c.VariantId, onHand = c.Before }).ToList(), counted.Select(c => new { c.VariantId, onHand = c.Counted }).ToList(), reason);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(counted);
    }

    public static async Task<Ok<List<ShelfRowResponse>>> ShelfAsync(Guid cooperativeId, CatalogDbContext db, CancellationToken cancellationToken)
    {
        // An archived product's goods still on the shelf are counted too, until they are gone.
        var rows = await (
                from v in db.Variants.AsNoTracking()
                join p in db.Products.AsNoTracking() on v.ProductId equals p.Id
                join m in db.Members.AsNoTracking() on p.MemberId equals m.Id
                where p.CooperativeId == cooperativeId && ((p.Status != ProductStatus.Archived && v.Active) || v.OnHand > 0)
                orderby m.DisplayName, p.Listing.NameId, v.Label
                select new ShelfRowResponse(p.Id, p.Listing.NameId, m.Id, m.DisplayName, v.Id, v.Label, v.OnHand, v.Reserved, v.LowStockThreshold,
                    v.LowStockThreshold != null && v.OnHand <= v.LowStockThreshold))
            .Take(2000)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(rows);
    }

    public static async Task<Ok<List<ShortageResponse>>> ShortagesAsync(Guid cooperativeId, CatalogDbContext db, CancellationToken cancellationToken)
    {
        var open = await (
                from s in db.StockShortages.AsNoTracking()
                join v in db.Variants.AsNoTracking() on s.VariantId equals v.Id
                join p in db.Products.AsNoTracking() on v.ProductId equals p.Id
                where s.CooperativeId == cooperativeId && s.ResolvedAt == null
                orderby s.At, s.Id
                select new ShortageResponse(
                    s.Id, p.Id, p.Listing.NameId, p.Listing.NameEn, v.Id, v.Label, v.Sku, p.MemberId, p.MakerName, s.OrderId, s.Quantity - s.Returned, v.OnHand, s.At))
            .Take(1000)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(open);
    }

    public static async Task<Results<NoContent, NotFound>> SetSettingsAsync(
        Guid cooperativeId, StockSettingsRequest request, CatalogDbContext db, AuditTrail audit, CancellationToken cancellationToken)
    {
        var cooperative = await db.Cooperatives.FirstOrDefaultAsync(c => c.Id == cooperativeId, cancellationToken);
        if (cooperative is null)
        {
            return TypedResults.NotFound();
        }

        var errors = new FieldErrors();
        var before = new { cooperative.ExpiryWarningDays };
        errors.Check("expiryWarningDays", () => cooperative.SetExpiryWarningDays(request.ExpiryWarningDays));
        errors.ThrowIfAny();
        audit.Record(db, "stock.settings-changed", cooperativeId, "cooperative", cooperativeId, before, new { cooperative.ExpiryWarningDays });
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Ok<StockCheckResponse>> CheckAsync(StockBook book, CancellationToken cancellationToken)
    {
        var mismatches = await book.MismatchesAsync(cancellationToken);
        return TypedResults.Ok(new StockCheckResponse(mismatches.Count == 0, mismatches));
    }

    internal static BatchResponse ToResponse(StockBatch b) =>
        new(b.Id, b.VariantId, b.MemberId, b.ProducedOn, b.ExpiresOn, b.CostPerUnitRupiah, b.QuantityReceived, b.Remaining, b.DeliveryId, b.ReceivedAt);

    /// <summary>The variant if the caller is its product's member or an admin of its cooperative; else null (answered 404).</summary>
    private static async Task<ProductVariant?> ManageableVariantAsync(Guid productId, Guid variantId, HttpContext http, CatalogDbContext db, CancellationToken cancellationToken)
    {
        var found = await db.Variants.AsNoTracking().Where(v => v.Id == variantId && v.ProductId == productId)
            .Join(db.Products, v => v.ProductId, p => p.Id, (v, p) => new { Variant = v, p.CooperativeId, p.MemberId })
            .FirstOrDefaultAsync(cancellationToken);
        return found is not null && http.User.CanManage(found.CooperativeId, found.MemberId) ? found.Variant : null;
    }
}
