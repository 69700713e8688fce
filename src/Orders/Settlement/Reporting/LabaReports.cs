using System.Globalization;
using System.Security.Claims;
using System.Text;
using Marketplace.Orders.Settlement.Cooperatives;
using Marketplace.Orders.Settlement.Costs;
using Marketplace.Orders.Settlement.Data;
using Marketplace.Orders.Settlement.Ledger;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Orders.Settlement.Reporting;

public sealed record CostCategoryTotal(string Category, long AmountRupiah);

public sealed record CooperativeMonth(string Month, long IncomeRupiah, long CostsRupiah, long SurplusRupiah);

/// <summary>
/// The cooperative's year in its books: its income (the fees it kept, as the ledger's <c>fees</c> account holds them),
/// its own costs, and the surplus, income − costs, from which the SHU is shared.
/// </summary>
public sealed record CooperativeYearReport(Guid CooperativeId, int Year, long IncomeRupiah, long CostsRupiah, long SurplusRupiah,
    IReadOnlyList<CostCategoryTotal> CostsByCategory, IReadOnlyList<CooperativeMonth> Months);

/// <summary>A member's laba by month and product, and the cooperative's surplus for a year.</summary>
public static class LabaReports
{
    internal static RouteGroupBuilder MapLabaReports(this RouteGroupBuilder api)
    {
        api.MapGet("/members/me/laba", MyLabaAsync)
            .RequireAuthorization(MarketplacePolicies.Member)
            .WithTags("Reports")
            .WithName("MyLaba")
            .WithSummary("The member's month (yyyy-MM) by product: omzet, fee, refunds, net, cost of goods, other costs, laba, margin; ?format=csv or xlsx.");
        api.MapGroup("/cooperatives/{cooperativeId:guid}").WithTags("Reports").RequireAdminOfRouteCooperative()
            .MapGet("/reports/year", YearAsync)
            .WithName("CooperativeYear")
            .WithSummary("The cooperative's income (fees), own costs and surplus for a year, by month.");
        return api;
    }

    private static async Task<Results<Ok<MemberLabaReport>, FileContentHttpResult, NotFound>> MyLabaAsync(
        string? month, string? format, ClaimsPrincipal user, SettlementDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await CostsApi.MemberCooperativeAsync(user, db, cancellationToken) is not { } cooperativeId)
        {
            return TypedResults.NotFound();
        }

        var memberId = user.MemberId()!.Value;
        var report = await MemberLabaAsync(db, cooperativeId, memberId, month, clock, cancellationToken);
        return format switch
        {
            "csv" => TypedResults.File(Encoding.UTF8.GetBytes(LabaFiles.Csv(report)), "text/csv", $"laba-{report.Month}.csv"),
            "xlsx" => TypedResults.File(await LabaFiles.XlsxAsync(report, cancellationToken), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"laba-{report.Month}.xlsx"),
            _ => TypedResults.Ok(report),
        };
    }

    /// <summary>The member's month by product, and the twelve months up to it for the chart.</summary>
    public static async Task<MemberLabaReport> MemberLabaAsync(
        SettlementDbContext db, Guid cooperativeId, Guid memberId, string? month, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(clock);
        var (_, first, last) = await CostsApi.MonthAsync(cooperativeId, month, db, clock, cancellationToken);
        var zone = await CooperativeTimeZones.OfAsync(db, cooperativeId, cancellationToken);
        var chartFirst = first.AddMonths(-11);
        var (start, end) = CooperativeCalendar.Days(chartFirst, last, zone);
        var lines = await db.SaleLines.AsNoTracking()
            .Where(l => l.CooperativeId == cooperativeId && l.MemberId == memberId && l.SoldAt >= start && l.SoldAt < end).ToListAsync(cancellationToken);
        var goods = await db.GoodsCosts.AsNoTracking()
            .Where(g => g.CooperativeId == cooperativeId && g.MemberId == memberId && g.SoldAt >= start && g.SoldAt < end).ToListAsync(cancellationToken);
        var others = await db.OtherCosts.AsNoTracking()
            .Where(c => c.CooperativeId == cooperativeId && c.MemberId == memberId && c.DeletedAt == null && c.Date >= chartFirst && c.Date <= last).ToListAsync(cancellationToken);
        var productIds = goods.Select(g => g.ProductId).Where(id => !lines.Any(l => l.ProductId == id)).Distinct().ToList();
        // A product whose goods' cost counts this month but with no sale in it (sold and cancelled): named by an older sale.
        var named = productIds.Count == 0 ? [] : await db.SaleLines.AsNoTracking()
            .Where(l => l.ProductId != null && productIds.Contains(l.ProductId.Value))
            .Select(l => new { ProductId = l.ProductId!.Value, l.Name }).Distinct().ToListAsync(cancellationToken);
        var names = named.GroupBy(n => n.ProductId).ToDictionary(g => g.Key, g => g.Select(n => n.Name).Max(StringComparer.Ordinal)!);

        DateOnly MonthOf(DateTimeOffset at)
        {
            var local = CooperativeCalendar.Local(at, zone);
            return new DateOnly(local.Year, local.Month, 1);
        }

        var monthLines = lines.Where(l => MonthOf(l.SoldAt) == first).ToList();
        var monthGoods = goods.Where(g => MonthOf(g.SoldAt) == first).ToList();
        var monthOthers = others.Where(c => c.Date >= first).Sum(c => c.AmountRupiah);
        var months = Enumerable.Range(0, 12).Select(i => chartFirst.AddMonths(i)).Select(m =>
        {
            var row = LabaFigures.Row("month", string.Empty, lines.Where(l => MonthOf(l.SoldAt) == m).ToList(), goods.Where(g => MonthOf(g.SoldAt) == m).ToList(),
                others.Where(c => c.Date.Year == m.Year && c.Date.Month == m.Month).Sum(c => c.AmountRupiah));
            return new LabaMonth(m.ToString("yyyy-MM", CultureInfo.InvariantCulture), row.OmzetRupiah, row.LabaRupiah);
        }).ToList();
        return new MemberLabaReport(memberId, first.ToString("yyyy-MM", CultureInfo.InvariantCulture), LabaFigures.Products(monthLines, monthGoods, names),
            LabaFigures.Row("total", string.Empty, monthLines, monthGoods, monthOthers), months);
    }

    private static async Task<Ok<CooperativeYearReport>> YearAsync(Guid cooperativeId, int? year, SettlementDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var zone = await CooperativeTimeZones.OfAsync(db, cooperativeId, cancellationToken);
        var shown = year ?? CooperativeCalendar.Local(clock.GetUtcNow(), zone).Year;
        return TypedResults.Ok(await CooperativeYearAsync(db, cooperativeId, shown, cancellationToken));
    }

    /// <summary>The year report's cost category for what Stripe kept of payments and refunds.</summary>
    public const string PaymentFeesCategory = "payment-fees";

    /// <summary>
    /// The year's income is what the ledger's fee account gained in it (a refund's returned fee counts when it was
    /// given back, as the books post it); its costs those of the cooperative that count (not deleted or replaced), and
    /// the payment fees Stripe kept (its processing fees and the platform's application fee, category <c>payment-fees</c>,
    /// when they were posted). Shipping charged to shoppers is passed on to the couriers: it is neither income nor cost here.
    /// </summary>
    public static async Task<CooperativeYearReport> CooperativeYearAsync(SettlementDbContext db, Guid cooperativeId, int year, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (year is < 2000 or > 2100)
        {
            throw new DomainException("The year is between 2000 and 2100.", "invalid_year");
        }

        var zone = await CooperativeTimeZones.OfAsync(db, cooperativeId, cancellationToken);
        var (start, end) = CooperativeCalendar.Year(year, zone);
        var fees = await db.JournalLines.AsNoTracking()
            .Where(l => l.CooperativeId == cooperativeId && l.Account == Accounts.FeeIncome && l.PostedAt >= start && l.PostedAt < end)
            .Select(l => new { l.PostedAt, l.AmountRupiah }).ToListAsync(cancellationToken);
        var paymentFees = await db.JournalLines.AsNoTracking()
            .Where(l => l.CooperativeId == cooperativeId && (l.Account == Accounts.StripeFees || l.Account == Accounts.ApplicationFees || l.Account == Accounts.DisputeFees)
                && l.PostedAt >= start && l.PostedAt < end)
            .Select(l => new { l.PostedAt, l.AmountRupiah }).ToListAsync(cancellationToken);
        var costs = await db.OtherCosts.AsNoTracking()
            .Where(c => c.CooperativeId == cooperativeId && c.MemberId == null && c.DeletedAt == null && c.Date.Year == year)
            .ToListAsync(cancellationToken);
        // Income is a credit on the fee account: shown positive.
        var months = Enumerable.Range(1, 12).Select(m =>
        {
            var income = -fees.Where(f => CooperativeCalendar.Local(f.PostedAt, zone).Month == m).Sum(f => f.AmountRupiah);
            var spent = costs.Where(c => c.Date.Month == m).Sum(c => c.AmountRupiah)
                + paymentFees.Where(f => CooperativeCalendar.Local(f.PostedAt, zone).Month == m).Sum(f => f.AmountRupiah);
            return new CooperativeMonth($"{year:D4}-{m:D2}", income, spent, income - spent);
        }).ToList();
        var incomeTotal = -fees.Sum(f => f.AmountRupiah);
        var paymentFeeTotal = paymentFees.Sum(f => f.AmountRupiah);
        var costTotal = costs.Sum(c => c.AmountRupiah) + paymentFeeTotal;
        var categories = costs.GroupBy(c => c.Category).Select(g => new CostCategoryTotal(g.Key, g.Sum(c => c.AmountRupiah))).ToList();
        if (paymentFeeTotal != 0)
        {
            categories.Add(new CostCategoryTotal(PaymentFeesCategory, paymentFeeTotal));
        }

        return new CooperativeYearReport(cooperativeId, year, incomeTotal, costTotal, incomeTotal - costTotal,
            [.. categories.OrderByDescending(c => c.AmountRupiah)], months);
    }
}
