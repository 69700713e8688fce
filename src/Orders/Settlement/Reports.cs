using System.Globalization;
using System.Security.Claims;
using System.Text;
using Marketplace.Orders.Settlement.Data;
using Marketplace.Orders.Settlement.Ledger;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SpreadCheetah;

namespace Marketplace.Orders.Settlement;

public sealed record OmzetRow(string Key, long GrossRupiah, long FeesRupiah, long RefundedRupiah, long NetRupiah, int Units);

public sealed record OmzetReport(Guid CooperativeId, DateOnly From, DateOnly To, string By, IReadOnlyList<OmzetRow> Rows, OmzetRow Totals,
    long PayoutsMadeRupiah, long OwedToMembersRupiah);

public sealed record MemberSavings(Guid MemberId, long SavingsRupiah);

/// <summary>What the members' meeting (RAT) decided: the surplus to share and the two pools' percentages.</summary>
public sealed record ShuRequest(int Year, long SurplusRupiah, decimal JasaUsahaPercent, decimal JasaModalPercent, IReadOnlyList<MemberSavings>? Savings);

public sealed record ShuRow(Guid MemberId, long TransactionsRupiah, long SavingsRupiah, long JasaUsahaRupiah, long JasaModalRupiah, long TotalRupiah);

public sealed record ShuResult(int Year, long SurplusRupiah, long JasaUsahaPoolRupiah, long JasaModalPoolRupiah, IReadOnlyList<ShuRow> Members, long UnallocatedRupiah);

/// <summary>The cooperative's figures: omzet by member, product, category, channel, day or month; and the year's SHU.</summary>
public static class Reports
{
    private static readonly string[] Groupings = ["member", "product", "category", "channel", "day", "month"];

    public static IEndpointRouteBuilder MapSettlementReports(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/settlement/cooperatives/{cooperativeId:guid}").WithTags("Reports").RequireAuthorization(MarketplacePolicies.CooperativeAdmin);
        api.MapGet("/reports/omzet", OmzetAsync)
            .WithName("OmzetReport")
            .WithSummary("Sales in a period grouped by member, product, category, channel, day or month: gross, fees, refunds, net; ?format=csv or xlsx for a file.");
        api.MapPost("/shu", ShuAsync)
            .WithName("ComputeShu")
            .WithSummary("Each member's SHU for a year: her transactions' share of the jasa usaha pool plus her savings' share of the jasa modal pool; ?format=csv to export.");
        return app;
    }

    private static async Task<Results<Ok<OmzetReport>, FileContentHttpResult, ForbidHttpResult>> OmzetAsync(
        Guid cooperativeId, DateOnly from, DateOnly to, string? by, string? format, ClaimsPrincipal user, SettlementDbContext db, CancellationToken cancellationToken)
    {
        if (!user.IsAdminOf(cooperativeId))
        {
            return TypedResults.Forbid();
        }

        by ??= "member";
        if (!Groupings.Contains(by) || to < from || to.DayNumber - from.DayNumber > 366 * 5)
        {
            throw new DomainException($"by is one of {string.Join(", ", Groupings)}; from is on or before to, at most five years apart.", "invalid_report");
        }

        // Days are the cooperative's (Western Indonesia Time, UTC+7).
        var offset = TimeSpan.FromHours(7);
        var start = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), offset).ToUniversalTime();
        var end = new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), offset).ToUniversalTime();
        var lines = await db.SaleLines.AsNoTracking()
            .Where(l => l.CooperativeId == cooperativeId && l.SoldAt >= start && l.SoldAt < end)
            .ToListAsync(cancellationToken);
        var rows = lines
            .GroupBy(l => by switch
            {
                "member" => l.MemberId.ToString(),
                "product" => l.Name,
                "category" => l.Category,
                "channel" => l.Channel,
                "day" => l.SoldAt.ToOffset(offset).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                _ => l.SoldAt.ToOffset(offset).ToString("yyyy-MM", CultureInfo.InvariantCulture),
            })
            .Select(g => Row(g.Key, g))
            .OrderBy(r => r.Key, StringComparer.Ordinal)
            .ToList();
        var payoutsMade = -await db.JournalLines.Where(l => l.CooperativeId == cooperativeId && l.Account == Accounts.Bank && l.PostedAt >= start && l.PostedAt < end)
            .SumAsync(l => l.AmountRupiah, cancellationToken);
        var owed = -await db.JournalLines.Where(l => l.CooperativeId == cooperativeId
                && (l.Account == Accounts.MemberPending || l.Account == Accounts.MemberAvailable || l.Account == Accounts.MemberInPayout))
            .SumAsync(l => l.AmountRupiah, cancellationToken);
        var report = new OmzetReport(cooperativeId, from, to, by, rows, Row("total", lines), payoutsMade, owed);
        if (format == "csv")
        {
            var csv = new StringBuilder($"{by},gross_rupiah,fees_rupiah,refunded_rupiah,net_rupiah,units\n");
            foreach (var row in rows.Append(report.Totals))
            {
                csv.Append(CultureInfo.InvariantCulture, $"\"{row.Key.Replace("\"", "\"\"", StringComparison.Ordinal)}\",{row.GrossRupiah},{row.FeesRupiah},{row.RefundedRupiah},{row.NetRupiah},{row.Units}\n");
            }

            return TypedResults.File(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv", $"omzet-{from:yyyyMMdd}-{to:yyyyMMdd}-{by}.csv");
        }

        if (format == "xlsx")
        {
            return TypedResults.File(await XlsxAsync(by, rows.Append(report.Totals), cancellationToken),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"omzet-{from:yyyyMMdd}-{to:yyyyMMdd}-{by}.xlsx");
        }

        return TypedResults.Ok(report);
    }

    private static async Task<byte[]> XlsxAsync(string by, IEnumerable<OmzetRow> rows, CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream();
        await using (var spreadsheet = await Spreadsheet.CreateNewAsync(stream, cancellationToken: cancellationToken))
        {
            await spreadsheet.StartWorksheetAsync("Omzet", token: cancellationToken);
            await spreadsheet.AddRowAsync([new DataCell(by), new DataCell("Omzet kotor (Rp)"), new DataCell("Fee (Rp)"), new DataCell("Pengembalian (Rp)"), new DataCell("Omzet bersih (Rp)"), new DataCell("Unit")], cancellationToken);
            foreach (var row in rows)
            {
                await spreadsheet.AddRowAsync([new DataCell(row.Key), new DataCell(row.GrossRupiah), new DataCell(row.FeesRupiah), new DataCell(row.RefundedRupiah), new DataCell(row.NetRupiah), new DataCell(row.Units)], cancellationToken);
            }

            await spreadsheet.FinishAsync(cancellationToken);
        }

        return stream.ToArray();
    }

    private static OmzetRow Row(string key, IEnumerable<SaleLine> lines)
    {
        var list = lines.ToList();
        var gross = list.Sum(l => l.GrossRupiah);
        var refunded = list.Sum(l => l.RefundedFeeRupiah + l.RefundedShareRupiah);
        var fees = list.Sum(l => l.FeeRupiah - l.RefundedFeeRupiah);
        return new OmzetRow(key, gross, fees, refunded, gross - refunded, list.Sum(l => l.Quantity - l.RefundedQuantity));
    }

    /// <summary>
    /// Per member: (her transactions / all members' transactions) x jasa usaha pool + (her savings / all savings) x
    /// jasa modal pool, each part rounded down to the whole rupiah; what rounding leaves stays with the cooperative
    /// (<see cref="ShuResult.UnallocatedRupiah"/>). Transactions are the year's sales net of refunds.
    /// </summary>
    private static async Task<Results<Ok<ShuResult>, FileContentHttpResult, ForbidHttpResult>> ShuAsync(
        Guid cooperativeId, ShuRequest request, string? format, ClaimsPrincipal user, SettlementDbContext db, CancellationToken cancellationToken)
    {
        if (!user.IsAdminOf(cooperativeId))
        {
            return TypedResults.Forbid();
        }

        if (request.SurplusRupiah < 0 || request.JasaUsahaPercent < 0 || request.JasaModalPercent < 0 || request.JasaUsahaPercent + request.JasaModalPercent > 100
            || request.Year is < 2000 or > 2100 || request.Savings?.Any(s => s is null || s.SavingsRupiah < 0) == true)
        {
            throw new DomainException("The surplus and savings are 0 or more, and the two pools' percentages add up to at most 100.", "invalid_shu");
        }

        var offset = TimeSpan.FromHours(7);
        var start = new DateTimeOffset(request.Year, 1, 1, 0, 0, 0, offset).ToUniversalTime();
        var end = new DateTimeOffset(request.Year + 1, 1, 1, 0, 0, 0, offset).ToUniversalTime();
        var transactions = await db.SaleLines.AsNoTracking()
            .Where(l => l.CooperativeId == cooperativeId && l.SoldAt >= start && l.SoldAt < end)
            .GroupBy(l => l.MemberId)
            .Select(g => new { MemberId = g.Key, Net = g.Sum(l => l.GrossRupiah - l.RefundedFeeRupiah - l.RefundedShareRupiah) })
            .ToDictionaryAsync(g => g.MemberId, g => g.Net, cancellationToken);
        // Savings as given by the meeting's records; without them, what the books hold (simpanan wajib deducted from payouts).
        var savings = request.Savings is { Count: > 0 }
            ? request.Savings.GroupBy(s => s.MemberId).ToDictionary(g => g.Key, g => g.Sum(s => s.SavingsRupiah))
            : await db.JournalLines.Where(l => l.CooperativeId == cooperativeId && l.Account == Accounts.MemberSavings && l.MemberId != null && l.PostedAt < end)
                .GroupBy(l => l.MemberId!.Value)
                .Select(g => new { MemberId = g.Key, Saved = -g.Sum(l => l.AmountRupiah) })
                .ToDictionaryAsync(g => g.MemberId, g => g.Saved, cancellationToken);
        var usahaPool = (long)Math.Floor(request.SurplusRupiah * request.JasaUsahaPercent / 100m);
        var modalPool = (long)Math.Floor(request.SurplusRupiah * request.JasaModalPercent / 100m);
        var allTransactions = transactions.Values.Where(v => v > 0).Sum();
        var allSavings = savings.Values.Sum();
        var rows = transactions.Keys.Union(savings.Keys)
            .Select(member =>
            {
                var tx = Math.Max(0, transactions.GetValueOrDefault(member));
                var saved = savings.GetValueOrDefault(member);
                var usaha = allTransactions == 0 ? 0 : (long)Math.Floor((decimal)tx * usahaPool / allTransactions);
                var modal = allSavings == 0 ? 0 : (long)Math.Floor((decimal)saved * modalPool / allSavings);
                return new ShuRow(member, tx, saved, usaha, modal, usaha + modal);
            })
            .OrderByDescending(r => r.TotalRupiah)
            .ToList();
        var result = new ShuResult(request.Year, request.SurplusRupiah, usahaPool, modalPool, rows, usahaPool + modalPool - rows.Sum(r => r.TotalRupiah));
        if (format == "csv")
        {
            var csv = new StringBuilder("member_id,transactions_rupiah,savings_rupiah,jasa_usaha_rupiah,jasa_modal_rupiah,shu_rupiah\n");
            foreach (var row in rows)
            {
                csv.Append(CultureInfo.InvariantCulture, $"{row.MemberId},{row.TransactionsRupiah},{row.SavingsRupiah},{row.JasaUsahaRupiah},{row.JasaModalRupiah},{row.TotalRupiah}\n");
            }

            return TypedResults.File(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv", $"shu-{request.Year}.csv");
        }

        return TypedResults.Ok(result);
    }
}
