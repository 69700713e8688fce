using Marketplace.Catalog.Common;
using Marketplace.Catalog.Data;
using Marketplace.Catalog.Products;
using Marketplace.ServiceDefaults.Audit;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Identity;
using Marketplace.ServiceDefaults.Messaging;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Catalog.Members;

public sealed record MemberResponse(
    Guid Id,
    Guid CooperativeId,
    string DisplayName,
    string? BusinessName,
    string? Village,
    string? Story,
    string? PhotoUrl,
    MemberStatus Status,
    string? WhatsApp,
    DateOnly? AwayFrom = null,
    DateOnly? AwayUntil = null,
    string? Slug = null);

/// <summary>A maker's public page: who she is and which cooperative sells her products (never her own number).</summary>
public sealed record MakerProfileResponse(
    Guid Id,
    string Slug,
    string DisplayName,
    string? BusinessName,
    string? Village,
    string? Story,
    string? PhotoUrl,
    DateOnly? AwayFrom,
    DateOnly? AwayUntil,
    MakerCooperativeResponse Cooperative,
    Reviews.RatingResponse? Rating = null);

public sealed record MakerCooperativeResponse(Guid Id, string Slug, string Name);

public sealed record UpdateMemberProfileRequest(string DisplayName, string? BusinessName, string? Village, string? Story, string? WhatsApp);

/// <summary>Her holiday's first and last day (inclusive), in her cooperative's calendar.</summary>
public sealed record SetHolidayRequest(DateOnly? AwayFrom, DateOnly? AwayUntil);

public static class MembersApi
{
    public static RouteGroupBuilder MapMembersApi(this RouteGroupBuilder api)
    {
        api.MapGet("/cooperatives/{cooperativeId:guid}/members", ListAsync)
            .WithTags("Members")
            .WithName("ListMembers")
            .WithSummary("A cooperative's members: active ones for everyone, all of them for its admins.");

        api.MapGet("/makers/{slug}", GetMakerAsync)
            .WithTags("Members")
            .WithName("GetMaker")
            .WithSummary("A maker's public page by her slug: only an active member of an active cooperative.");

        var members = api.MapGroup("/members").WithTags("Members");
        members.MapGet("/{id:guid}", GetAsync)
            .WithName("GetMember")
            .WithSummary("A member's public profile.");
        members.MapPut("/me", UpdateMyProfileAsync)
            .RequireAuthorization(MarketplacePolicies.Member)
            .WithName("UpdateMyMemberProfile")
            .WithSummary("A member edits her own profile.");
        members.MapPut("/me/holiday", SetMyHolidayAsync)
            .RequireAuthorization(MarketplacePolicies.Member)
            .WithName("SetMyHoliday")
            .WithSummary("A member plans or changes her holiday (libur): meanwhile her products cannot be ordered for shipping.");
        members.MapDelete("/me/holiday", ClearMyHolidayAsync)
            .RequireAuthorization(MarketplacePolicies.Member)
            .WithName("ClearMyHoliday")
            .WithSummary("A member ends or cancels her holiday.");
        members.MapPut("/{id:guid}/holiday", SetHolidayAsync)
            .RequireAuthorization(MarketplacePolicies.CooperativeAdmin)
            .WithName("SetMemberHoliday")
            .WithSummary("Her cooperative's admin plans or changes a member's holiday for her.");
        members.MapDelete("/{id:guid}/holiday", ClearHolidayAsync)
            .RequireAuthorization(MarketplacePolicies.CooperativeAdmin)
            .WithName("ClearMemberHoliday")
            .WithSummary("Her cooperative's admin ends or cancels a member's holiday.");
        members.MapPost("/{id:guid}/suspend", SuspendAsync)
            .RequireAuthorization(MarketplacePolicies.CooperativeAdmin)
            .WithName("SuspendMember")
            .WithSummary("Suspends a member; her products leave sale at once.");
        members.MapPost("/{id:guid}/reactivate", ReactivateAsync)
            .RequireAuthorization(MarketplacePolicies.CooperativeAdmin)
            .WithName("ReactivateMember")
            .WithSummary("Reinstates a suspended member and her published products.");
        return api;
    }

    /// <summary>Her holiday is public (shoppers are told when her products can be shipped again), but only while it matters.</summary>
    internal static MemberResponse ToResponse(Member m, bool includeContact, DateOnly today) => new(
        m.Id, m.CooperativeId, m.DisplayName, m.BusinessName, m.Village, m.Story,
        m.PhotoHash is null ? null : Images.ImageUrls.Rendition(m.PhotoHash, "webp"),
        m.Status,
        includeContact ? m.WhatsApp : null,
        m.HolidayAsOf(today)?.From,
        m.HolidayAsOf(today)?.Until,
        m.Slug);

    public static async Task<Results<Ok<MakerProfileResponse>, NotFound>> GetMakerAsync(string slug, CatalogDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        // Slugs are stored lowercase; a shared link typed with capitals still finds her.
        var normalized = (slug ?? string.Empty).Trim().ToLowerInvariant();
        if (!MemberSlugs.IsValid(normalized))
        {
            return TypedResults.NotFound();
        }

        var found = await db.Members.AsNoTracking()
            .Where(m => m.Slug == normalized && m.Status == MemberStatus.Active)
            .Join(db.Cooperatives.AsNoTracking().Where(c => c.Status == Cooperatives.CooperativeStatus.Active), m => m.CooperativeId, c => c.Id,
                (m, c) => new { Member = m, c.Id, c.Slug, c.Name, c.TimeZone })
            .FirstOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return TypedResults.NotFound();
        }

        var m = found.Member;
        var holiday = m.HolidayAsOf(clock.Today(found.TimeZone));
        return TypedResults.Ok(new MakerProfileResponse(
            m.Id, m.Slug, m.DisplayName, m.BusinessName, m.Village, m.Story,
            m.PhotoHash is null ? null : Images.ImageUrls.Rendition(m.PhotoHash, "webp"),
            holiday?.From, holiday?.Until,
            new MakerCooperativeResponse(found.Id, found.Slug, found.Name),
            await Reviews.ProductRatings.OfMakerAsync(db, m.Id, cancellationToken)));
    }

    public static async Task<Ok<List<MemberResponse>>> ListAsync(Guid cooperativeId, HttpContext http, CatalogDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var today = clock.Today(await db.TimeZoneOfAsync(cooperativeId, cancellationToken));
        var admin = http.User.IsAdminOf(cooperativeId);
        var query = db.Members.AsNoTracking().Where(m => m.CooperativeId == cooperativeId);
        if (!admin)
        {
            query = query.Where(m => m.Status == MemberStatus.Active);
        }

        var members = await query.OrderBy(m => m.DisplayName).Take(500).ToListAsync(cancellationToken);
        return TypedResults.Ok(members.Select(m => ToResponse(m, admin, today)).ToList());
    }

    public static async Task<Results<Ok<MemberResponse>, NotFound>> GetAsync(Guid id, HttpContext http, CatalogDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var member = await db.Members.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (member is null)
        {
            return TypedResults.NotFound();
        }

        var privileged = http.User.CanManage(member.CooperativeId, member.Id);
        if (!member.IsActive && !privileged)
        {
            return TypedResults.NotFound();
        }

        return TypedResults.Ok(ToResponse(member, privileged, clock.Today(await db.TimeZoneOfAsync(member.CooperativeId, cancellationToken))));
    }

    public static async Task<Results<Ok<MemberResponse>, NotFound>> UpdateMyProfileAsync(
        UpdateMemberProfileRequest request,
        HttpContext http,
        CatalogDbContext db,
        IOutbox outbox,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var memberId = http.User.MemberId();
        var member = await db.Members.FirstOrDefaultAsync(m => m.Id == memberId, cancellationToken);
        if (member is null)
        {
            return TypedResults.NotFound();
        }

        Member.CheckProfile(request.DisplayName, request.BusinessName, request.Village, request.Story, request.WhatsApp);
        member.UpdateProfile(request.DisplayName, request.BusinessName, request.Village, request.Story, request.WhatsApp);
        var now = clock.GetUtcNow();
        // One transaction: her products' maker name and her profile change together or not at all.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Search finds products by their maker's name: keep it current on her products.
        await db.Products.Where(p => p.MemberId == member.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.MakerName, member.DisplayName), cancellationToken);
        outbox.Publish(member.ToUpdatedEvent(now), orderingKey: member.Id.ToString());
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(ToResponse(member, includeContact: true, clock.Today(await db.TimeZoneOfAsync(member.CooperativeId, cancellationToken))));
    }

    public static Task<Results<Ok<MemberResponse>, NotFound>> SuspendAsync(
        Guid id, HttpContext http, CatalogDbContext db, IOutbox outbox, ProductEvents events, TimeProvider clock, AuditTrail audit, CancellationToken cancellationToken) =>
        ChangeStandingAsync(id, suspend: true, http, db, outbox, events, clock, audit, cancellationToken);

    public static Task<Results<Ok<MemberResponse>, NotFound>> ReactivateAsync(
        Guid id, HttpContext http, CatalogDbContext db, IOutbox outbox, ProductEvents events, TimeProvider clock, AuditTrail audit, CancellationToken cancellationToken) =>
        ChangeStandingAsync(id, suspend: false, http, db, outbox, events, clock, audit, cancellationToken);

    private static async Task<Results<Ok<MemberResponse>, NotFound>> ChangeStandingAsync(
        Guid id, bool suspend, HttpContext http, CatalogDbContext db, IOutbox outbox, ProductEvents events, TimeProvider clock, AuditTrail audit,
        CancellationToken cancellationToken)
    {
        var member = await db.Members.FirstOrDefaultAsync(m => m.Id == id, cancellationToken);
        // Another cooperative's member is not found, rather than forbidden: her existence is not ours to tell.
        if (member is null || !http.User.IsAdminOf(member.CooperativeId))
        {
            return TypedResults.NotFound();
        }

        var before = new { member.DisplayName, member.Status };
        if (suspend)
        {
            member.Suspend();
        }
        else
        {
            member.Reactivate();
        }

        var now = clock.GetUtcNow();
        var products = await db.Products.Include(p => p.Variants).Include(p => p.Images)
            .Where(p => p.MemberId == member.Id && p.Status != ProductStatus.Archived)
            .ToListAsync(cancellationToken);
        var cooperativeActive = await db.Cooperatives.Where(c => c.Id == member.CooperativeId).Select(c => c.Status == Cooperatives.CooperativeStatus.Active).SingleAsync(cancellationToken);
        foreach (var product in products)
        {
            var wasOnSale = product.OnSale;
            product.SetSellerActive(member.IsActive && cooperativeActive, member.DisplayName, now);
            events.PublishSaleChange(product, wasOnSale, now, suspend ? "member_suspended" : "member_reactivated");
        }

        outbox.Publish(member.ToUpdatedEvent(now), orderingKey: member.Id.ToString());
        audit.Record(db, suspend ? "member.suspended" : "member.reactivated", member.CooperativeId, "member", member.Id, before, new { member.DisplayName, member.Status });
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(ToResponse(member, includeContact: true, clock.Today(await db.TimeZoneOfAsync(member.CooperativeId, cancellationToken))));
    }

    public static async Task<Results<Ok<MemberResponse>, NotFound>> SetMyHolidayAsync(
        SetHolidayRequest request, HttpContext http, CatalogDbContext db, IOutbox outbox, TimeProvider clock, CancellationToken cancellationToken)
    {
        var memberId = http.User.MemberId();
        var member = await db.Members.FirstOrDefaultAsync(m => m.Id == memberId, cancellationToken);
        return member is null ? TypedResults.NotFound() : TypedResults.Ok(await ChangeHolidayAsync(member, request, db, outbox, clock, cancellationToken));
    }

    public static async Task<Results<Ok<MemberResponse>, NotFound>> ClearMyHolidayAsync(
        HttpContext http, CatalogDbContext db, IOutbox outbox, TimeProvider clock, CancellationToken cancellationToken)
    {
        var memberId = http.User.MemberId();
        var member = await db.Members.FirstOrDefaultAsync(m => m.Id == memberId, cancellationToken);
        return member is null ? TypedResults.NotFound() : TypedResults.Ok(await ChangeHolidayAsync(member, null, db, outbox, clock, cancellationToken));
    }

    public static async Task<Results<Ok<MemberResponse>, NotFound>> SetHolidayAsync(
        Guid id, SetHolidayRequest request, HttpContext http, CatalogDbContext db, IOutbox outbox, TimeProvider clock, CancellationToken cancellationToken)
    {
        var member = await db.Members.FirstOrDefaultAsync(m => m.Id == id, cancellationToken);
        return member is null || !http.User.IsAdminOf(member.CooperativeId)
            ? TypedResults.NotFound()
            : TypedResults.Ok(await ChangeHolidayAsync(member, request, db, outbox, clock, cancellationToken));
    }

    public static async Task<Results<Ok<MemberResponse>, NotFound>> ClearHolidayAsync(
        Guid id, HttpContext http, CatalogDbContext db, IOutbox outbox, TimeProvider clock, CancellationToken cancellationToken)
    {
        var member = await db.Members.FirstOrDefaultAsync(m => m.Id == id, cancellationToken);
        return member is null || !http.User.IsAdminOf(member.CooperativeId)
            ? TypedResults.NotFound()
            : TypedResults.Ok(await ChangeHolidayAsync(member, null, db, outbox, clock, cancellationToken));
    }

    /// <summary>
    /// Sets (or, without a request, clears) her holiday by her cooperative's calendar, and tells Orders through the
    /// outbox in the same save: checkout there refuses shipping her products from its own copy of these dates.
    /// </summary>
    private static async Task<MemberResponse> ChangeHolidayAsync(
        Member member, SetHolidayRequest? request, CatalogDbContext db, IOutbox outbox, TimeProvider clock, CancellationToken cancellationToken)
    {
        var today = clock.Today(await db.TimeZoneOfAsync(member.CooperativeId, cancellationToken));
        var revision = member.Revision;
        if (request is null)
        {
            member.ClearHoliday();
        }
        else
        {
            member.SetHoliday(request.AwayFrom, request.AwayUntil, today);
        }

        if (member.Revision != revision)
        {
            outbox.Publish(member.ToUpdatedEvent(clock.GetUtcNow()), orderingKey: member.Id.ToString());
            await db.SaveChangesAsync(cancellationToken);
        }

        return ToResponse(member, includeContact: true, today);
    }
}
