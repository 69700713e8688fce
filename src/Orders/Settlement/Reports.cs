using System.Text;
using Marketplace.Orders.Settlement.Cooperatives;
using Marketplace.Orders.Settlement.Data;
using Marketplace.Orders.Settlement.Ledger;
using Marketplace.Orders.Settlement.Reporting;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Orders.Settlement;

public sealed record OmzetRow(string Key, long GrossRupiah, long FeesRupiah, long RefundedRupiah, long NetRupiah, int Units);

public sealed record OmzetReport(Guid CooperativeId, DateOnly From, DateOnly To, string By, IReadOnlyList<OmzetRow> Rows, OmzetRow Totals,
    long PayoutsMadeRupiah, long OwedToMembersRupiah);

public sealed record MemberSavings(Guid MemberId, long SavingsRupiah);

/// <summary>
/// The two pools' percentages the statutes give (the members' meeting, RAT, applies them). The surplus is not typed in:
/// it is the year's in the books (<see cref="LabaReports.CooperativeYearAsync"/>).
/// </summary>
public sealed record ShuRequest(int Year, decimal JasaUsahaPercent, decimal JasaModalPercent, IReadOnlyList<MemberSavings>? Savings);

/// <summary>
/// <see cref="SurplusRupiah"/> is the year's surplus in the books (income − costs); a loss (negative) shares nothing.
/// </summary>
public sealed record ShuResult(int Year, long IncomeRupiah, long CostsRupiah, long SurplusRupiah, long JasaUsahaPoolRupiah, long JasaModalPoolRupiah,
    IReadOnlyList<ShuShare> Members, long UnallocatedRupiah);

/// <summary>
/// The cooperative's figures: omzet by member, product, category, channel, day or month; and the year's SHU. The rules
/// are <see cref="OmzetFigures"/> and <see cref="ShuFormula"/>; days and years are the cooperative's, in its time zone.
/// </summary>
public static class Reports
{
    internal static RouteGroupBuilder MapSettlementReports(this RouteGroupBuilder api)
    {
        var cooperative = api.MapGroup("/cooperatives/{cooperativeId:guid}").WithTags("Reports").RequireAdminOfRouteCooperative();
        cooperative.MapGet("/reports/omzet", OmzetAsync)
            .WithName("OmzetReport")
            .WithSummary("Sales in a period grouped by member, product, category, channel, day or month: gross, fees, refunds, net; ?format=csv or xlsx for a file.");
        cooperative.MapPost("/shu", ShuAsync)
            .WithName("ComputeShu")
            .WithSummary("Each member's SHU for a year, from the surplus in the books (fees less the cooperative's costs): her transactions' share of the jasa usaha pool plus her savings' share of the jasa modal pool; ?format=csv to export.");
        return api;
    }

    private static async Task<Results<Ok<OmzetReport>, FileContentHttpResult>> OmzetAsync(
        Guid cooperativeId, DateOnly from, DateOnly to, string? by, string? format, SettlementDbContext db, CancellationToken cancellationToken)
    {
        by ??= "member";
        OmzetFigures.Check(by, from, to);
        var zone = await CooperativeTimeZones.OfAsync(db, cooperativeId, cancellationToken);
        var (start, end) = CooperativeCalendar.Days(from, to, zone);
        var lines = await db.SaleLines.AsNoTracking()
            .Where(l => l.CooperativeId == cooperativeId && l.SoldAt >= start && l.SoldAt < end)
            .ToListAsync(cancellationToken);
        var rows = OmzetFigures.Rows(by, lines, zone);
        var payoutsMade = -await db.JournalLines.Where(l => l.CooperativeId == cooperativeId && l.Account == Accounts.Bank && l.PostedAt >= start && l.PostedAt < end)
            .SumAsync(l => l.AmountRupiah, cancellationToken);
        var owed = -await db.JournalLines.Where(l => l.CooperativeId == cooperativeId
                && (l.Account == Accounts.MemberPending || l.Account == Accounts.MemberAvailable || l.Account == Accounts.MemberInPayout))
            .SumAsync(l => l.AmountRupiah, cancellationToken);
        var report = new OmzetReport(cooperativeId, from, to, by, rows, OmzetFigures.Row("total", lines), payoutsMade, owed);
        return format switch
        {
            "csv" => TypedResults.File(Encoding.UTF8.GetBytes(ReportFiles.OmzetCsv(by, rows.Append(report.Totals))), "text/csv", $"omzet-{from:yyyyMMdd}-{to:yyyyMMdd}-{by}.csv"),
            "xlsx" => TypedResults.File(await ReportFiles.OmzetXlsxAsync(by, rows.Append(report.Totals), cancellationToken),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"omzet-{from:yyyyMMdd}-{to:yyyyMMdd}-{by}.xlsx"),
            _ => TypedResults.Ok(report),
        };
    }

    /// <summary>
    /// The year's SHU by <see cref="ShuFormula"/>, shared from the year's surplus in the books. Transactions are the year's sales net of refunds; savings are the
    /// meeting's records when given, else what the books hold (simpanan wajib deducted from payouts) at the year's end.
    /// </summary>
    private static async Task<Results<Ok<ShuResult>, FileContentHttpResult>> ShuAsync(
        Guid cooperativeId, ShuRequest request, string? format, SettlementDbContext db, CancellationToken cancellationToken)
    {
        if (request.Year is < 2000 or > 2100 || request.Savings?.Any(s => s is null || s.SavingsRupiah < 0) == true)
        {
            throw new DomainException(ShuFormula.InvalidMessage, ShuFormula.InvalidCode);
        }

        var zone = await CooperativeTimeZones.OfAsync(db, cooperativeId, cancellationToken);
        var (start, end) = CooperativeCalendar.Year(request.Year, zone);
        var transactions = await db.SaleLines.AsNoTracking()
            .Where(l => l.CooperativeId == cooperativeId && l.SoldAt >= start && l.SoldAt < end)
            .GroupBy(l => l.MemberId)
            .Select(g => new { MemberId = g.Key, Net = g.Sum(l => l.GrossRupiah - l.RefundedFeeRupiah - l.RefundedShareRupiah) })
            .ToDictionaryAsync(g => g.MemberId, g => g.Net, cancellationToken);
        var savings = request.Savings is { Count: > 0 }
            ? request.Savings.GroupBy(s => s.MemberId).ToDictionary(g => g.Key, g => g.Sum(s => s.SavingsRupiah))
            : await db.JournalLines.Where(l => l.CooperativeId == cooperativeId && l.Account == Accounts.MemberSavings && l.MemberId != null && l.PostedAt < end)
                .GroupBy(l => l.MemberId!.Value)
                .Select(g => new { MemberId = g.Key, Saved = -g.Sum(l => l.AmountRupiah) })
                .ToDictionaryAsync(g => g.MemberId, g => g.Saved, cancellationToken);
        var year = await LabaReports.CooperativeYearAsync(db, cooperativeId, request.Year, cancellationToken);
        var allocation = ShuFormula.Allocate(Math.Max(0, year.SurplusRupiah), request.JasaUsahaPercent, request.JasaModalPercent, transactions, savings);
        if (format == "csv")
        {
            return TypedResults.File(Encoding.UTF8.GetBytes(ReportFiles.ShuCsv(allocation.Shares)), "text/csv", $"shu-{request.Year}.csv");
        }

        return TypedResults.Ok(new ShuResult(request.Year, year.IncomeRupiah, year.CostsRupiah, year.SurplusRupiah, allocation.JasaUsahaPoolRupiah, allocation.JasaModalPoolRupiah,
            allocation.Shares, allocation.UnallocatedRupiah));
    }
}
