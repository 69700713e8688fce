using System.Globalization;
using System.Security.Claims;
using Marketplace.Orders.Settlement.Cooperatives;
using Marketplace.Orders.Settlement.Data;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Orders.Settlement.Costs;

/// <summary>
/// A cost as its owner sees it: <see cref="Editable"/> while its month is the current one; a deleted or replaced cost
/// stays listed with its reason (<c>replaced</c> for an edit, pointing at <see cref="ReplacedBy"/>).
/// </summary>
public sealed record OtherCostView(Guid Id, Guid? MemberId, string Category, long AmountRupiah, DateOnly Date, string? Note, DateTimeOffset RecordedAt,
    bool Editable, DateTimeOffset? DeletedAt, string? DeletedReason, Guid? Replaces, Guid? ReplacedBy);

/// <summary>A month's costs, the ones that count and the ones deleted or replaced, with the categories one may choose.</summary>
public sealed record OtherCostList(string Month, long TotalRupiah, IReadOnlyList<OtherCostView> Costs, IReadOnlyList<string> Categories);

/// <summary>
/// Other costs: a member's own (<c>/members/me/costs</c>) and the cooperative's (<c>/cooperatives/{id}/costs</c>, its
/// admins). The rules are <see cref="OtherCostRules"/> and <see cref="OtherCost"/>; dates are the cooperative's.
/// </summary>
public static class CostsApi
{
    internal static RouteGroupBuilder MapCostsApi(this RouteGroupBuilder api)
    {
        var mine = api.MapGroup("/members/me/costs").WithTags("Costs").RequireAuthorization(MarketplacePolicies.Member);
        mine.MapGet("/", (string? month, ClaimsPrincipal user, SettlementDbContext db, TimeProvider clock, CancellationToken ct) =>
                WithMemberAsync(user, db, (cooperative, member) => ListAsync(cooperative, member, month, db, clock, ct), ct))
            .WithName("MyCosts")
            .WithSummary("The member's other costs of a month (yyyy-MM, this month by default), deleted ones included with their reason.");
        mine.MapPost("/", (OtherCostInput request, ClaimsPrincipal user, SettlementDbContext db, TimeProvider clock, CancellationToken ct) =>
                WithMemberAsync(user, db, (cooperative, member) => RecordAsync(cooperative, member, request, user, db, clock, ct), ct))
            .WithName("RecordMyCost")
            .WithSummary("Records a cost of hers: category (packaging, transport, other), whole rupiah, a day up to today, a note.");
        mine.MapPut("/{costId:guid}", (Guid costId, OtherCostInput request, ClaimsPrincipal user, SettlementDbContext db, TimeProvider clock, CancellationToken ct) =>
                WithMemberAsync(user, db, (cooperative, member) => EditAsync(cooperative, member, costId, request, user, db, clock, ct), ct))
            .WithName("EditMyCost")
            .WithSummary("Corrects a cost of the current month: it is replaced by a new one; the old one stays, marked replaced.");
        mine.MapPost("/{costId:guid}/delete", (Guid costId, DeleteCostRequest request, ClaimsPrincipal user, SettlementDbContext db, TimeProvider clock, CancellationToken ct) =>
                WithMemberAsync(user, db, (cooperative, member) => DeleteAsync(cooperative, member, costId, request, user, db, clock, ct), ct))
            .WithName("DeleteMyCost")
            .WithSummary("Deletes a cost of the current month, with a reason; it stays listed as deleted.");

        var cooperative = api.MapGroup("/cooperatives/{cooperativeId:guid}/costs").WithTags("Costs").RequireAdminOfRouteCooperative();
        cooperative.MapGet("/", (Guid cooperativeId, string? month, SettlementDbContext db, TimeProvider clock, CancellationToken ct) =>
                ListAsync(cooperativeId, null, month, db, clock, ct))
            .WithName("CooperativeCosts")
            .WithSummary("The cooperative's own costs of a month (yyyy-MM, this month by default), deleted ones included.");
        cooperative.MapPost("/", (Guid cooperativeId, OtherCostInput request, ClaimsPrincipal user, SettlementDbContext db, TimeProvider clock, CancellationToken ct) =>
                RecordAsync(cooperativeId, null, request, user, db, clock, ct))
            .WithName("RecordCooperativeCost")
            .WithSummary("Records a cost of the cooperative: category (rent, wages, utilities, packaging, transport, other), whole rupiah, a day, a note.");
        cooperative.MapPut("/{costId:guid}", (Guid cooperativeId, Guid costId, OtherCostInput request, ClaimsPrincipal user, SettlementDbContext db, TimeProvider clock, CancellationToken ct) =>
                EditAsync(cooperativeId, null, costId, request, user, db, clock, ct))
            .WithName("EditCooperativeCost");
        cooperative.MapPost("/{costId:guid}/delete", (Guid cooperativeId, Guid costId, DeleteCostRequest request, ClaimsPrincipal user, SettlementDbContext db, TimeProvider clock, CancellationToken ct) =>
                DeleteAsync(cooperativeId, null, costId, request, user, db, clock, ct))
            .WithName("DeleteCooperativeCost");
        return api;
    }

    /// <summary>The member's cooperative as Catalog told Settlement; before that message arrives, the one her token names.</summary>
    internal static async Task<Guid?> MemberCooperativeAsync(ClaimsPrincipal user, SettlementDbContext db, CancellationToken cancellationToken)
    {
        var memberId = user.MemberId()!.Value;
        return await db.Members.Where(m => m.MemberId == memberId).Select(m => (Guid?)m.CooperativeId).FirstOrDefaultAsync(cancellationToken)
            ?? (user.CooperativeIds() is { Count: 1 } ids ? ids.Single() : null);
    }

    /// <summary>The cooperative's today, and the first and last day of a <c>yyyy-MM</c> month (this month when none is given).</summary>
    internal static async Task<(DateOnly Today, DateOnly First, DateOnly Last)> MonthAsync(
        Guid cooperativeId, string? month, SettlementDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var today = await TodayAsync(cooperativeId, db, clock, cancellationToken);
        var first = new DateOnly(today.Year, today.Month, 1);
        if (!string.IsNullOrEmpty(month))
        {
            if (!DateOnly.TryParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out first) || first.Year < 2000 || first.Year > 2100)
            {
                throw new DomainException("month is written yyyy-MM.", "invalid_month");
            }
        }

        return (today, first, first.AddMonths(1).AddDays(-1));
    }

    private static async Task<DateOnly> TodayAsync(Guid cooperativeId, SettlementDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var zone = await CooperativeTimeZones.OfAsync(db, cooperativeId, cancellationToken);
        return DateOnly.FromDateTime(CooperativeCalendar.Local(clock.GetUtcNow(), zone).DateTime);
    }

    private static async Task<IResult> WithMemberAsync(ClaimsPrincipal user, SettlementDbContext db, Func<Guid, Guid, Task<IResult>> then, CancellationToken cancellationToken) =>
        await MemberCooperativeAsync(user, db, cancellationToken) is { } cooperativeId ? await then(cooperativeId, user.MemberId()!.Value) : TypedResults.NotFound();

    private static async Task<IResult> ListAsync(Guid cooperativeId, Guid? memberId, string? month, SettlementDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (today, first, last) = await MonthAsync(cooperativeId, month, db, clock, cancellationToken);
        var costs = await db.OtherCosts.AsNoTracking()
            .Where(c => c.CooperativeId == cooperativeId && c.MemberId == memberId && c.Date >= first && c.Date <= last)
            .OrderByDescending(c => c.Date).ThenByDescending(c => c.RecordedAt)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new OtherCostList(first.ToString("yyyy-MM", CultureInfo.InvariantCulture), costs.Where(c => c.Counts).Sum(c => c.AmountRupiah),
            costs.Select(c => View(c, today)).ToList(), OtherCostRules.Categories(memberId is null)));
    }

    private static async Task<IResult> RecordAsync(Guid cooperativeId, Guid? memberId, OtherCostInput request, ClaimsPrincipal user, SettlementDbContext db, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var today = await TodayAsync(cooperativeId, db, clock, cancellationToken);
        var cost = OtherCost.Record(cooperativeId, memberId, request, user.UserId()!.Value, today, clock.GetUtcNow());
        db.OtherCosts.Add(cost);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/settlement/costs/{cost.Id}", View(cost, today));
    }

    private static async Task<IResult> EditAsync(Guid cooperativeId, Guid? memberId, Guid costId, OtherCostInput request, ClaimsPrincipal user, SettlementDbContext db,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        var today = await TodayAsync(cooperativeId, db, clock, cancellationToken);
        var cost = await db.OtherCosts.FirstOrDefaultAsync(c => c.Id == costId && c.CooperativeId == cooperativeId && c.MemberId == memberId, cancellationToken);
        if (cost is null)
        {
            return TypedResults.NotFound();
        }

        var replacement = cost.ReplaceWith(request, user.UserId()!.Value, today, clock.GetUtcNow());
        db.OtherCosts.Add(replacement);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(View(replacement, today));
    }

    private static async Task<IResult> DeleteAsync(Guid cooperativeId, Guid? memberId, Guid costId, DeleteCostRequest request, ClaimsPrincipal user, SettlementDbContext db,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        var today = await TodayAsync(cooperativeId, db, clock, cancellationToken);
        var cost = await db.OtherCosts.FirstOrDefaultAsync(c => c.Id == costId && c.CooperativeId == cooperativeId && c.MemberId == memberId, cancellationToken);
        if (cost is null)
        {
            return TypedResults.NotFound();
        }

        cost.Delete(request?.Reason, user.UserId()!.Value, today, clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(View(cost, today));
    }

    private static OtherCostView View(OtherCost c, DateOnly today) => new(
        c.Id, c.MemberId, c.Category, c.AmountRupiah, c.Date, c.Note, c.RecordedAt, c.Counts && OtherCostRules.SameMonth(c.Date, today), c.DeletedAt, c.DeletedReason,
        c.Replaces, c.ReplacedBy);
}
