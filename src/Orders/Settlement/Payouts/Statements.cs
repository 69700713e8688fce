using System.Security.Claims;
using Marketplace.Orders.Settlement.Cooperatives;
using Marketplace.Orders.Settlement.Data;
using Marketplace.Orders.Settlement.Ledger;
using Marketplace.ServiceDefaults.Formatting;
using Marketplace.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Orders.Settlement.Payouts;

/// <summary>
/// A member's payout statement: the movements of her available balance that this payout settles (hand-overs,
/// refunds, returned transfers since her previous payout, up to the cut-off), the simpanan wajib deducted, and the
/// amount paid; rendered by <see cref="StatementDocument"/> in her cooperative's time zone.
/// </summary>
public static class Statements
{
    public static string Url(Guid batchId, Guid memberId) => $"/api/settlement/payout-batches/{batchId}/members/{memberId}/statement.pdf";

    internal static RouteGroupBuilder MapPayoutStatements(this RouteGroupBuilder api)
    {
        api.MapGet("/payout-batches/{batchId:guid}/members/{memberId:guid}/statement.pdf", StatementAsync)
            .RequireAuthorization()
            .WithName("PayoutStatement")
            .WithSummary("The member's statement for this payout, as PDF: for the member herself and her cooperative's admins.");
        return api;
    }

    /// <summary>
    /// What this payout settles: her available balance's movements after her previous payout's reservation and before
    /// this one's, earned up to the cut-off (payout movements, such as a returned transfer, whenever they happened).
    /// </summary>
    public static async Task<List<StatementLine>> LinesAsync(SettlementDbContext db, PayoutBatch batch, Guid memberId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(batch);
        var available = db.JournalLines.Where(l => l.CooperativeId == batch.CooperativeId && l.MemberId == memberId && l.Account == Accounts.MemberAvailable);
        var reserveSource = PayoutPostings.ReserveSource(batch.Id, memberId);
        var reserve = await available.Join(db.JournalEntries.Where(e => e.Source == reserveSource), l => l.EntryId, e => e.Id, (l, e) => l.Id)
            .FirstOrDefaultAsync(cancellationToken);
        var previousReserve = await available.Where(l => l.Id < reserve && l.Kind == "payout" && l.AmountRupiah > 0).MaxAsync(l => (long?)l.Id, cancellationToken) ?? 0;
        return await available
            .Where(l => l.Id > previousReserve && l.Id < reserve && (l.PostedAt <= batch.CutOff || l.Kind == "payout"))
            .OrderBy(l => l.Id)
            .Join(db.JournalEntries, l => l.EntryId, e => e.Id, (l, e) => new StatementLine(l.PostedAt, l.Kind, e.Memo, -l.AmountRupiah))
            .ToListAsync(cancellationToken);
    }

    private static async Task<Results<FileContentHttpResult, NotFound>> StatementAsync(
        Guid batchId, Guid memberId, ClaimsPrincipal user, SettlementDbContext db, CancellationToken cancellationToken)
    {
        var batch = await db.PayoutBatches.AsNoTracking().Include(b => b.Lines).FirstOrDefaultAsync(b => b.Id == batchId, cancellationToken);
        var line = batch?.Lines.FirstOrDefault(l => l.MemberId == memberId);
        if (batch is null || line is null || !(user.IsAdminOf(batch.CooperativeId) || user.MemberId() == memberId))
        {
            return TypedResults.NotFound();
        }

        var lines = await LinesAsync(db, batch, memberId, cancellationToken);
        // Her name as Catalog last told us; the account holder's name, or her id, until then.
        var name = await db.Members.Where(m => m.MemberId == memberId).Select(m => m.DisplayName).FirstOrDefaultAsync(cancellationToken)
            ?? line.AccountName ?? memberId.ToString();
        var zone = await CooperativeTimeZones.OfAsync(db, batch.CooperativeId, cancellationToken);
        return TypedResults.File(StatementDocument.Render(batch, line, name, lines, zone), "application/pdf", $"laporan-pembayaran-{ShortReference.Of(batch.Id)}.pdf");
    }
}
