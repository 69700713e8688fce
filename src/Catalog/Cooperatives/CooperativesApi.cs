using System.Security.Claims;
using Marketplace.Catalog.Data;
using Marketplace.Contracts.Catalog;
using Marketplace.ServiceDefaults.Audit;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Identity;
using Marketplace.Catalog.Products;
using Marketplace.ServiceDefaults.Messaging;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Catalog.Cooperatives;

public sealed record RegisterCooperativeRequest(string Slug, string Name, decimal FeePercent);

public sealed record RenameCooperativeRequest(string Name);

public sealed record UpdateCooperativeProfileRequest(string? Story, string? KioskLocation, string? WhatsApp, IReadOnlyList<OpeningHours>? KioskOpeningHours);

public sealed record SetFeePolicyRequest(decimal DefaultPercent, IReadOnlyDictionary<string, decimal>? CategoryPercents);

public sealed record CooperativeResponse(
    Guid Id,
    string Slug,
    string Name,
    string? Story,
    string? KioskLocation,
    string? WhatsApp,
    string TimeZone,
    IReadOnlyList<OpeningHours> KioskOpeningHours,
    decimal FeePercent,
    IReadOnlyDictionary<string, decimal> CategoryFeePercents,
    CooperativeStatus Status,
    DateTimeOffset RegisteredAt)
{
    public static CooperativeResponse From(Cooperative c) =>
        new(c.Id, c.Slug, c.Name, c.Story, c.KioskLocation, c.WhatsApp, c.TimeZone, c.KioskOpeningHours, c.FeePercent, c.CategoryFeePercents,
            c.Status, c.RegisteredAt);
}

/// <summary>One line of the list an admin picks her cooperative from; its time zone dates the pages about it.</summary>
public sealed record CooperativeSummary(Guid Id, string Slug, string Name, CooperativeStatus Status, DateTimeOffset RegisteredAt, string TimeZone);

public static class CooperativesApi
{
    public static RouteGroupBuilder MapCooperativesApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/cooperatives").WithTags("Cooperatives");

        group.MapPost("/", RegisterAsync)
            .RequireAuthorization(MarketplacePolicies.PlatformAdmin)
            .WithName("RegisterCooperative")
            .WithSummary("Registers a cooperative on the platform (platform admins).");

        group.MapGet("/", ListAsync)
            .RequireAuthorization(MarketplacePolicies.CooperativeAdmin)
            .WithName("ListCooperatives")
            .WithSummary("The cooperatives the caller administers, by name: every one for the platform admin.");

        group.MapGet("/{id:guid}", GetByIdAsync)
            .WithName("GetCooperativeById")
            .WithSummary("A cooperative's public profile by its id (orders and members know their cooperative by id).");

        group.MapGet("/{slug}", GetAsync)
            .WithName("GetCooperative")
            .WithSummary("A cooperative's public profile.");

        group.MapPut("/{id:guid}/name", RenameAsync)
            .RequireAuthorization(MarketplacePolicies.CooperativeAdmin)
            .WithName("RenameCooperative")
            .WithSummary("Changes a cooperative's public name (its admins).");

        group.MapPut("/{id:guid}/profile", UpdateProfileAsync)
            .RequireAuthorization(MarketplacePolicies.CooperativeAdmin)
            .WithName("UpdateCooperativeProfile")
            .WithSummary("The cooperative's story, kiosk location and hours, and WhatsApp contact (its admins).");

        group.MapPost("/{id:guid}/suspend", SuspendAsync)
            .RequireAuthorization(MarketplacePolicies.PlatformAdmin)
            .WithName("SuspendCooperative")
            .WithSummary("Suspends a cooperative: every product of its members leaves sale at once (platform admins).");

        group.MapPost("/{id:guid}/reactivate", ReactivateAsync)
            .RequireAuthorization(MarketplacePolicies.PlatformAdmin)
            .WithName("ReactivateCooperative")
            .WithSummary("Reinstates a suspended cooperative and the products of its active members.");

        group.MapPut("/{id:guid}/fee-policy", SetFeePolicyAsync)
            .RequireAuthorization(MarketplacePolicies.CooperativeAdmin)
            .WithName("SetCooperativeFeePolicy")
            .WithSummary("The cooperative's commission: a percentage, optionally per category (its admins).");
        return group;
    }

    public static async Task<Created<CooperativeResponse>> RegisterAsync(
        RegisterCooperativeRequest request,
        CatalogDbContext db,
        IOutbox outbox,
        TimeProvider clock,
        AuditTrail audit,
        CancellationToken cancellationToken)
    {
        var cooperative = Cooperative.Register(request.Slug, request.Name, request.FeePercent, clock.GetUtcNow());
        if (await db.Cooperatives.AnyAsync(c => c.Slug == cooperative.Slug, cancellationToken))
        {
            throw new ConflictException($"The slug '{cooperative.Slug}' is already taken.", "slug_taken");
        }

        db.Cooperatives.Add(cooperative);
        audit.Record(db, "cooperative.registered", cooperative.Id, "cooperative", cooperative.Id, null, new { cooperative.Slug, cooperative.Name, cooperative.FeePercent });
        outbox.Publish(
            new CooperativeRegistered(cooperative.Id, cooperative.Slug, cooperative.Name, cooperative.FeePercent, cooperative.RegisteredAt),
            orderingKey: cooperative.Id.ToString());
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/catalog/cooperatives/{cooperative.Slug}", CooperativeResponse.From(cooperative));
    }

    public static async Task<Ok<List<CooperativeSummary>>> ListAsync(ClaimsPrincipal user, CatalogDbContext db, CancellationToken cancellationToken)
    {
        var query = db.Cooperatives.AsNoTracking();
        if (!user.IsInRole(MarketplaceRoles.PlatformAdmin))
        {
            // A cooperative's admin sees only her own: the others' existence is none of her business.
            var own = user.CooperativeIds().ToList();
            query = query.Where(c => own.Contains(c.Id));
        }

        var cooperatives = await query.OrderBy(c => c.Name).ThenBy(c => c.Slug).Take(500).ToListAsync(cancellationToken);
        return TypedResults.Ok(cooperatives
            .Select(c => new CooperativeSummary(c.Id, c.Slug, c.Name, c.Status, c.RegisteredAt, c.TimeZone))
            .ToList());
    }

    public static async Task<Results<Ok<CooperativeResponse>, NotFound>> GetAsync(
        string slug,
        CatalogDbContext db,
        CancellationToken cancellationToken)
    {
        // Slugs are stored lowercase.
        var normalized = slug.ToLowerInvariant();
        var cooperative = await db.Cooperatives.AsNoTracking()
            .FirstOrDefaultAsync(c => c.Slug == normalized, cancellationToken);
        return cooperative is null ? TypedResults.NotFound() : TypedResults.Ok(CooperativeResponse.From(cooperative));
    }

    public static async Task<Results<Ok<CooperativeResponse>, NotFound>> GetByIdAsync(Guid id, CatalogDbContext db, CancellationToken cancellationToken)
    {
        var cooperative = await db.Cooperatives.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        return cooperative is null ? TypedResults.NotFound() : TypedResults.Ok(CooperativeResponse.From(cooperative));
    }

    public static Task<Results<Ok<CooperativeResponse>, NotFound>> RenameAsync(
        Guid id, RenameCooperativeRequest request, HttpContext http, CatalogDbContext db, IOutbox outbox, TimeProvider clock, AuditTrail audit,
        CancellationToken cancellationToken) =>
        ChangeAsync(id, http, db, outbox, clock, c => c.Rename(request.Name), audit, "cooperative.renamed", c => new { c.Name }, cancellationToken);

    public static Task<Results<Ok<CooperativeResponse>, NotFound>> UpdateProfileAsync(
        Guid id, UpdateCooperativeProfileRequest request, HttpContext http, CatalogDbContext db, IOutbox outbox, TimeProvider clock, AuditTrail audit,
        CancellationToken cancellationToken) =>
        ChangeAsync(id, http, db, outbox, clock, c => c.UpdateProfile(request.Story, request.KioskLocation, request.WhatsApp, request.KioskOpeningHours ?? []),
            audit, "cooperative.profile-changed", c => new { c.Story, c.KioskLocation, c.WhatsApp, KioskOpeningHours = c.KioskOpeningHours.ToList() }, cancellationToken);

    public static Task<Results<Ok<CooperativeResponse>, NotFound>> SetFeePolicyAsync(
        Guid id, SetFeePolicyRequest request, HttpContext http, CatalogDbContext db, IOutbox outbox, TimeProvider clock, AuditTrail audit,
        CancellationToken cancellationToken) =>
        ChangeAsync(id, http, db, outbox, clock, c => c.SetFeePolicy(request.DefaultPercent, request.CategoryPercents ?? new Dictionary<string, decimal>()),
            audit, "cooperative.fee-changed", c => new { c.FeePercent, CategoryFeePercents = new Dictionary<string, decimal>(c.CategoryFeePercents) }, cancellationToken);

    public static Task<Results<Ok<CooperativeResponse>, NotFound>> SuspendAsync(
        Guid id, CatalogDbContext db, IOutbox outbox, ProductEvents events, TimeProvider clock, AuditTrail audit, CancellationToken cancellationToken) =>
        ChangeStandingAsync(id, suspend: true, db, outbox, events, clock, audit, cancellationToken);

    public static Task<Results<Ok<CooperativeResponse>, NotFound>> ReactivateAsync(
        Guid id, CatalogDbContext db, IOutbox outbox, ProductEvents events, TimeProvider clock, AuditTrail audit, CancellationToken cancellationToken) =>
        ChangeStandingAsync(id, suspend: false, db, outbox, events, clock, audit, cancellationToken);

    private static async Task<Results<Ok<CooperativeResponse>, NotFound>> ChangeStandingAsync(
        Guid id, bool suspend, CatalogDbContext db, IOutbox outbox, ProductEvents events, TimeProvider clock, AuditTrail audit, CancellationToken cancellationToken)
    {
        var cooperative = await db.Cooperatives.FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (cooperative is null)
        {
            return TypedResults.NotFound();
        }

        var before = new { cooperative.Status };

        if (suspend)
        {
            cooperative.Suspend();
        }
        else
        {
            cooperative.Reactivate();
        }

        var now = clock.GetUtcNow();
        var activeMembers = await db.Members.Where(m => m.CooperativeId == id && m.Status == Members.MemberStatus.Active)
            .Select(m => m.Id).ToListAsync(cancellationToken);
        var products = await db.Products.Include(p => p.Variants).Include(p => p.Images).AsSplitQuery()
            .Where(p => p.CooperativeId == id && p.Status != Products.ProductStatus.Archived)
            .ToListAsync(cancellationToken);
        foreach (var product in products)
        {
            var wasOnSale = product.OnSale;
            product.SetSellerActive(cooperative.IsActive && activeMembers.Contains(product.MemberId), product.MakerName, now);
            events.PublishSaleChange(product, wasOnSale, now, suspend ? "cooperative_suspended" : "cooperative_reactivated");
        }

        outbox.Publish(cooperative.ToUpdatedEvent(now), orderingKey: cooperative.Id.ToString());
        audit.Record(db, suspend ? "cooperative.suspended" : "cooperative.reactivated", cooperative.Id, "cooperative", cooperative.Id, before, new { cooperative.Status });
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(CooperativeResponse.From(cooperative));
    }

    private static async Task<Results<Ok<CooperativeResponse>, NotFound>> ChangeAsync(
        Guid id,
        HttpContext http,
        CatalogDbContext db,
        IOutbox outbox,
        TimeProvider clock,
        Action<Cooperative> change,
        AuditTrail audit,
        string action,
        Func<Cooperative, object> fields,
        CancellationToken cancellationToken)
    {
        var cooperative = await db.Cooperatives.FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        // Another cooperative's admin is told nothing, not even that it exists.
        if (cooperative is null || !http.User.IsAdminOf(cooperative.Id))
        {
            return TypedResults.NotFound();
        }

        var before = fields(cooperative);
        change(cooperative);
        audit.Record(db, action, cooperative.Id, "cooperative", cooperative.Id, before, fields(cooperative));
        outbox.Publish(cooperative.ToUpdatedEvent(clock.GetUtcNow()), orderingKey: cooperative.Id.ToString());
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(CooperativeResponse.From(cooperative));
    }
}
