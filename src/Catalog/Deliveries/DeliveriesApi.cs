using Marketplace.Catalog.Common;
using Marketplace.Catalog.Data;
using Marketplace.Catalog.Products;
using Marketplace.Catalog.Stock;
using Marketplace.ServiceDefaults.Audit;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Formatting;
using Marketplace.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Catalog.Deliveries;

public sealed record AnnounceLine(Guid VariantId, int Quantity, DateOnly? ProducedOn, DateOnly? ExpiresOn, long? CostPerUnitRupiah);

public sealed record AnnounceDeliveryRequest(IReadOnlyList<AnnounceLine> Lines, string? Note);

public sealed record ReceiveLine(int LineNo, int Accepted, string? Reason);

public sealed record ReceiveDeliveryRequest(IReadOnlyList<ReceiveLine> Lines);

public sealed record DeliveryLineResponse(
    int LineNo, Guid VariantId, string ProductName, string VariantLabel, int Quantity, DateOnly? ProducedOn, DateOnly? ExpiresOn, long? CostPerUnitRupiah,
    int? Accepted, string? Reason, Guid? BatchId);

public sealed record DeliveryResponse(
    Guid Id, Guid CooperativeId, Guid MemberId, string MemberName, DeliveryStatus Status, string? Note, DateTimeOffset AnnouncedAt, DateTimeOffset? ReceivedAt,
    string? ReceivedBy, IReadOnlyList<DeliveryLineResponse> Lines, string? ReceivedByName);

public static class DeliveriesApi
{
    public const int MaxQuantity = 10_000;
    public const long MaxCostPerUnit = ProductVariant.MaxPrice;

    public static RouteGroupBuilder MapDeliveriesApi(this RouteGroupBuilder api)
    {
        var deliveries = api.MapGroup("/deliveries").WithTags("Deliveries");
        deliveries.MapPost("/", AnnounceAsync)
            .WithName("AnnounceDelivery")
            .WithSummary("A member announces goods she brings to the kiosk; nothing is on the shelf until an admin receives them.")
            .RequireAuthorization(MarketplacePolicies.Member);
        deliveries.MapGet("/", ListAsync)
            .WithName("ListDeliveries")
            .WithSummary("A member's own deliveries, or, for an admin, her cooperative's (cooperativeId), newest first.");
        deliveries.MapGet("/{id:guid}", GetAsync)
            .WithName("GetDelivery")
            .WithSummary("A delivery, for its member and her cooperative's admins.");
        deliveries.MapPost("/{id:guid}/receive", ReceiveAsync)
            .WithName("ReceiveDelivery")
            .WithSummary("An admin counts each line in: all, some or none (with a reason); each accepted line becomes a batch on the shelf.");
        deliveries.MapGet("/{id:guid}/receipt.pdf", ReceiptAsync)
            .WithName("DeliveryReceipt")
            .WithSummary("The delivery's printable receipt (tanda terima titip barang).");
        return api;
    }

    public static async Task<Created<DeliveryResponse>> AnnounceAsync(
        AnnounceDeliveryRequest request, HttpContext http, CatalogDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var memberId = http.User.MemberId();
        var member = await db.Members.AsNoTracking().FirstOrDefaultAsync(m => m.Id == memberId, cancellationToken);
        if (member is null || !member.IsActive || !http.User.CooperativeIds().Contains(member.CooperativeId))
        {
            throw new NotFoundException("Your member profile is not known to the catalog yet.");
        }

        var errors = new FieldErrors();
        var note = errors.Check("note", () => Text.Optional(request.Note, "note", 500));
        var lines = request.Lines ?? [];
        if (lines.Count is 0 or > Delivery.MaxLines)
        {
            errors.Add("lines", "invalid_lines", $"A delivery has 1 to {Delivery.MaxLines} lines.");
        }

        var ids = lines.Select(l => l.VariantId).Distinct().ToList();
        var variants = await db.Variants.AsNoTracking().Where(v => ids.Contains(v.Id) && v.Active)
            .Join(db.Products, v => v.ProductId, p => p.Id, (v, p) => new { v.Id, v.Label, p.MemberId, p.Listing.NameId, p.Status, p.Category })
            .Where(x => x.MemberId == member.Id && x.Status != ProductStatus.Archived)
            .ToDictionaryAsync(x => x.Id, cancellationToken);
        var today = clock.Today(await db.TimeZoneOfAsync(member.CooperativeId, cancellationToken));
        var accepted = new List<DeliveryLine>();
        for (var i = 0; i < lines.Count && i < Delivery.MaxLines; i++)
        {
            var line = lines[i];
            var at = $"lines[{i}]";
            if (!variants.TryGetValue(line.VariantId, out var variant))
            {
                errors.Add($"{at}.variantId", "unknown_variant", "Choose a size of one of your own products.");
            }

            if (line.Quantity is < 1 or > MaxQuantity)
            {
                errors.Add($"{at}.quantity", "invalid_quantity", $"A quantity is 1 to {MaxQuantity}.");
            }

            if (line.ProducedOn is { } produced && produced > today)
            {
                errors.Add($"{at}.producedOn", "produced_in_future", "The production date cannot be after today.");
            }

            if (line.ExpiresOn is null && variant is not null && ProductCategories.IsFood(variant.Category))
            {
                // Food is sold first-expiring-first and taken off sale when it expires: without its date neither can happen.
                errors.Add($"{at}.expiresOn", "expiry_required", "Food needs its expiry date, as printed on the pack.");
            }

            if (line.ExpiresOn is { } expires)
            {
                if (expires < today)
                {
                    errors.Add($"{at}.expiresOn", "already_expired", "These goods have expired already.");
                }
                else if (line.ProducedOn is { } made && expires < made)
                {
                    errors.Add($"{at}.expiresOn", "expires_before_produced", "The expiry date is after the production date.");
                }
            }

            if (line.CostPerUnitRupiah is < 0 or > MaxCostPerUnit)
            {
                errors.Add($"{at}.costPerUnitRupiah", "invalid_cost", $"A cost per unit is whole rupiah from 0 to {MaxCostPerUnit:N0}.");
            }

            if (variant is not null)
            {
                accepted.Add(new DeliveryLine(i + 1, line.VariantId, variant.NameId, variant.Label, line.Quantity, line.ProducedOn, line.ExpiresOn, line.CostPerUnitRupiah));
            }
        }

        errors.ThrowIfAny();
        var delivery = Delivery.Announce(member.CooperativeId, member.Id, member.DisplayName, note, accepted, clock.GetUtcNow());
        db.Deliveries.Add(delivery);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/catalog/deliveries/{delivery.Id}", ToResponse(delivery));
    }

    public static async Task<Ok<List<DeliveryResponse>>> ListAsync(
        Guid? cooperativeId, DeliveryStatus? status, HttpContext http, CatalogDbContext db, CancellationToken cancellationToken)
    {
        IQueryable<Delivery> query;
        if (cooperativeId is { } cooperative && http.User.IsAdminOf(cooperative))
        {
            query = db.Deliveries.Where(d => d.CooperativeId == cooperative);
        }
        else if (http.User.IsInRole(MarketplaceRoles.Member) && http.User.MemberId() is { } memberId)
        {
            query = db.Deliveries.Where(d => d.MemberId == memberId);
        }
        else
        {
            return TypedResults.Ok(new List<DeliveryResponse>());
        }

        if (status is { } wanted)
        {
            query = query.Where(d => d.Status == wanted);
        }

        var deliveries = await query.AsNoTracking().Include(d => d.Lines).OrderByDescending(d => d.AnnouncedAt).Take(200).AsSplitQuery().ToListAsync(cancellationToken);
        return TypedResults.Ok(deliveries.Select(ToResponse).ToList());
    }

    public static async Task<Results<Ok<DeliveryResponse>, NotFound>> GetAsync(Guid id, HttpContext http, CatalogDbContext db, CancellationToken cancellationToken)
    {
        var delivery = await VisibleAsync(id, http, db, tracked: false, cancellationToken);
        return delivery is null ? TypedResults.NotFound() : TypedResults.Ok(ToResponse(delivery));
    }

    public static async Task<Results<Ok<DeliveryResponse>, NotFound>> ReceiveAsync(
        Guid id, ReceiveDeliveryRequest request, HttpContext http, CatalogDbContext db, StockBook book, TimeProvider clock, AuditTrail audit,
        CancellationToken cancellationToken)
    {
        var found = await db.Deliveries.AsNoTracking().Where(d => d.Id == id).Select(d => d.CooperativeId).ToListAsync(cancellationToken);
        if (found.Count == 0 || !http.User.IsAdminOf(found[0]))
        {
            return TypedResults.NotFound();
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Locked, so two admins receiving at once cannot both put it on the shelf.
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM catalog.deliveries WHERE id = {id} FOR UPDATE", cancellationToken);
        var delivery = await db.Deliveries.Include(d => d.Lines).FirstAsync(d => d.Id == id, cancellationToken);
        if (delivery.Status != DeliveryStatus.Announced)
        {
            throw new ConflictException("This delivery was received already.", "already_received");
        }

        var errors = new FieldErrors();
        var given = request.Lines ?? [];
        var today = clock.Today(await db.TimeZoneOfAsync(delivery.CooperativeId, cancellationToken));
        var counted = new Dictionary<int, (int Accepted, string? Reason)>();
        for (var i = 0; i < given.Count; i++)
        {
            var at = $"lines[{i}]";
            var line = delivery.Lines.FirstOrDefault(l => l.LineNo == given[i].LineNo);
            if (line is null || counted.ContainsKey(given[i].LineNo))
            {
                errors.Add($"{at}.lineNo", "unknown_line", "Not a line of this delivery, or given twice.");
                continue;
            }

            var reason = errors.Check($"{at}.reason", () => Text.Optional(given[i].Reason, "reason", 300));
            if (given[i].Accepted < 0 || given[i].Accepted > line.Quantity)
            {
                errors.Add($"{at}.accepted", "invalid_accepted", $"Accept 0 to the {line.Quantity} announced.");
            }
            else if (given[i].Accepted > 0 && line.ExpiresOn is { } expires && expires < today)
            {
                // Announced in time but brought after its last day: it must not go on sale, so none is accepted.
                errors.Add($"{at}.accepted", "expired_at_receipt", $"These goods expired on {expires:yyyy-MM-dd}; accept none, with a reason.");
            }
            else if (given[i].Accepted < line.Quantity && reason is null)
            {
                errors.Add($"{at}.reason", "reason_required", "Say why fewer were accepted than announced.");
            }

            counted[given[i].LineNo] = (given[i].Accepted, reason);
        }

        foreach (var missing in delivery.Lines.Where(l => !given.Any(g => g.LineNo == l.LineNo)))
        {
            errors.Add("lines", "line_missing", $"Count line {missing.LineNo} too.");
        }

        errors.ThrowIfAny();
        var by = ProductsApi.ByWhom(http);
        // A receipt names a person, not an account id: her display name from the Gateway's token, kept as it was then.
        delivery.Receive(counted, by, http.User.DisplayName(), clock.GetUtcNow());
        foreach (var line in delivery.Lines.Where(l => l.Accepted > 0).OrderBy(l => l.VariantId).ThenBy(l => l.LineNo))
        {
            var variant = await book.LockAsync(line.VariantId, cancellationToken)
                ?? throw new NotFoundException("A size of this delivery no longer exists.");
            var batch = await book.ReceiveAsync(
                variant, line.Accepted!.Value, MovementKinds.Received, new BatchDates(line.ProducedOn, line.ExpiresOn, line.CostPerUnitRupiah), by, null, delivery.Id, cancellationToken);
            line.PlacedIn(batch);
        }

        await book.CheckLowStockAsync(delivery.Lines.Select(l => l.VariantId), cancellationToken);
        audit.Record(db, "stock.received", delivery.CooperativeId, "delivery", delivery.Id,
            delivery.Lines.Select(l => new { l.LineNo, l.VariantId, announced = l.Quantity }).ToList(),
            delivery.Lines.Select(l => new { l.LineNo, l.VariantId, l.Accepted, l.Reason }).ToList());
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(ToResponse(delivery));
    }

    public static async Task<Results<FileContentHttpResult, NotFound>> ReceiptAsync(
        Guid id, HttpContext http, CatalogDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var delivery = await VisibleAsync(id, http, db, tracked: false, cancellationToken);
        if (delivery is null)
        {
            return TypedResults.NotFound();
        }

        var cooperative = await db.Cooperatives.AsNoTracking().FirstAsync(c => c.Id == delivery.CooperativeId, cancellationToken);
        var pdf = DeliveryReceipt.Render(delivery, cooperative.Name, cooperative.TimeZone, clock.GetUtcNow());
        return TypedResults.File(pdf, "application/pdf", $"tanda-terima-{ShortReference.Of(delivery.Id)}.pdf");
    }

    private static async Task<Delivery?> VisibleAsync(Guid id, HttpContext http, CatalogDbContext db, bool tracked, CancellationToken cancellationToken)
    {
        var query = db.Deliveries.Include(d => d.Lines).Where(d => d.Id == id);
        var delivery = await (tracked ? query : query.AsNoTracking()).FirstOrDefaultAsync(cancellationToken);
        return delivery is not null && http.User.CanManage(delivery.CooperativeId, delivery.MemberId) ? delivery : null;
    }

    private static DeliveryResponse ToResponse(Delivery d) => new(
        d.Id, d.CooperativeId, d.MemberId, d.MemberName, d.Status, d.Note, d.AnnouncedAt, d.ReceivedAt, d.ReceivedBy,
        d.Lines.OrderBy(l => l.LineNo).Select(l => new DeliveryLineResponse(
            l.LineNo, l.VariantId, l.ProductName, l.VariantLabel, l.Quantity, l.ProducedOn, l.ExpiresOn, l.CostPerUnitRupiah, l.Accepted, l.Reason, l.BatchId)).ToList(),
        d.ReceivedByName);
}
