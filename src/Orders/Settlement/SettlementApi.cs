using System.Security.Claims;
using System.Text;
using Marketplace.Orders.Settlement.Data;
using Marketplace.Orders.Settlement.Ledger;
using Marketplace.Orders.Settlement.Payouts;
using Marketplace.ServiceDefaults.Audit;
using Marketplace.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Orders.Settlement;

/// <summary><see cref="HeldForDisputeRupiah"/>: her share of orders whose card payment the buyer's bank disputes, held until it is decided.</summary>
public sealed record MemberBalance(Guid MemberId, long PendingRupiah, long AvailableRupiah, long InPayoutRupiah, long PaidOutRupiah, long SavingsRupiah,
    IReadOnlyList<MemberMovement> History, long HeldForDisputeRupiah = 0);

public sealed record MemberMovement(DateTimeOffset At, string Kind, string Account, long AmountRupiah, string Memo);

public sealed record MyPayout(Guid BatchId, DateTimeOffset CutOff, PayoutBatchStatus BatchStatus, long AmountRupiah, long SavingsRupiah, PayoutLineStatus Status,
    string? Reference, string StatementUrl);

/// <summary><see cref="SavingsDueRupiah"/>: the simpanan wajib each member owes for this period, deducted from her payout.</summary>
public sealed record PrepareBatchRequest(DateTimeOffset? CutOff, long MinimumRupiah = 10_000, long SavingsDueRupiah = 0);

public sealed record SettleLineRequest(string Reference);

public sealed record PayoutLineResponse(Guid MemberId, long AmountRupiah, long SavingsRupiah, PayoutMethod Method, string? BankCode, string? Bank, string? AccountNumber,
    string? AccountName, PayoutLineStatus Status, string? Reference);

/// <summary>A member left out of the batch with money available, and why (<c>account_unconfirmed</c>, <c>account_change_pending</c>).</summary>
public sealed record PayoutWaitingResponse(Guid MemberId, long AvailableRupiah, string Reason);

public sealed record PayoutBatchResponse(Guid Id, Guid CooperativeId, DateTimeOffset CutOff, long MinimumRupiah, PayoutBatchStatus Status, Guid PreparedBy, Guid? ApprovedBy,
    long TotalRupiah, IReadOnlyList<PayoutLineResponse> Lines, IReadOnlyList<PayoutWaitingResponse> Waiting);

public sealed record SettlementSettingsRequest(int HoldingDays);

public sealed record AccountBalance(string Account, Guid? MemberId, long BalanceRupiah);

/// <summary>
/// Members' balances and payouts, payout batches, the holding period and the trial balance. The rules live in
/// <see cref="PayoutBatch"/>, <see cref="PayoutRules"/>, <see cref="PayoutPostings"/> and <see cref="SalePostings"/>;
/// the cooperative's admin check is the route group's.
/// </summary>
public static class SettlementApi
{
    internal static RouteGroupBuilder MapSettlementApi(this RouteGroupBuilder api)
    {
        api.MapGet("/members/me/balance", MyBalanceAsync)
            .RequireAuthorization(MarketplacePolicies.Member)
            .WithName("MyBalance")
            .WithSummary("What the cooperative owes this member: pending (not yet handed over), available, in a payout, paid out; and her history.");
        api.MapGet("/members/me/payouts", MyPayoutsAsync)
            .RequireAuthorization(MarketplacePolicies.Member)
            .WithName("MyPayouts")
            .WithSummary("The payouts this member is in, newest first, each with its statement.");

        var cooperative = api.MapGroup("/cooperatives/{cooperativeId:guid}").RequireAdminOfRouteCooperative();
        cooperative.MapPost("/payout-batches", PrepareAsync)
            .WithName("PreparePayoutBatch")
            .WithSummary("Prepares a payout of every member's available balance up to the cut-off, above the minimum.");
        cooperative.MapGet("/payout-batches", ListBatchesAsync)
            .WithName("ListPayoutBatches")
            .WithSummary("The cooperative's payout batches, newest first (at most 50).");
        cooperative.MapPut("/settings", SetSettingsAsync)
            .WithName("SetSettlementSettings")
            .WithSummary("How many days a handed-over sale is held before its member may be paid (0: at once).");
        cooperative.MapGet("/trial-balance", TrialBalanceAsync)
            .WithName("TrialBalance")
            .WithSummary("Every account's balance (debit positive); the total is always zero.");

        // A batch names its cooperative itself: another cooperative's batch answers 404 (LoadAsync).
        api.MapGet("/payout-batches/{batchId:guid}", GetBatchAsync)
            .RequireAuthorization(MarketplacePolicies.CooperativeAdmin)
            .WithName("GetPayoutBatch");
        api.MapPost("/payout-batches/{batchId:guid}/approve", ApproveAsync)
            .RequireAuthorization(MarketplacePolicies.CooperativeAdmin)
            .WithName("ApprovePayoutBatch")
            .WithSummary("A second admin approves the batch (not the one who prepared it).");
        api.MapPost("/payout-batches/{batchId:guid}/members/{memberId:guid}/paid", (Guid batchId, Guid memberId, SettleLineRequest request, ClaimsPrincipal user, SettlementDbContext db, TimeProvider clock, AuditTrail audit, CancellationToken ct) =>
                SettleAsync(batchId, memberId, paid: true, request.Reference, user, db, clock, audit, ct))
            .RequireAuthorization(MarketplacePolicies.CooperativeAdmin)
            .WithName("MarkPayoutPaid")
            .WithSummary("The member's transfer went out, with its reference.");
        api.MapPost("/payout-batches/{batchId:guid}/members/{memberId:guid}/failed", (Guid batchId, Guid memberId, SettleLineRequest request, ClaimsPrincipal user, SettlementDbContext db, TimeProvider clock, AuditTrail audit, CancellationToken ct) =>
                SettleAsync(batchId, memberId, paid: false, request.Reference, user, db, clock, audit, ct))
            .RequireAuthorization(MarketplacePolicies.CooperativeAdmin)
            .WithName("MarkPayoutFailed")
            .WithSummary("The transfer failed: the amount goes back to the member's available balance.");
        api.MapGet("/payout-batches/{batchId:guid}/bank-transfers.csv", BankFileAsync)
            .RequireAuthorization(MarketplacePolicies.CooperativeAdmin)
            .WithName("PayoutBankFile")
            .WithSummary("The batch's bank transfers as CSV: bank, account number, account name, amount, reference.");
        return api;
    }

    private static async Task<Ok<MemberBalance>> MyBalanceAsync(ClaimsPrincipal user, SettlementDbContext db, CancellationToken cancellationToken)
    {
        var memberId = user.MemberId()!.Value;
        var sums = await db.JournalLines.Where(l => l.MemberId == memberId)
            .GroupBy(l => l.Account)
            .Select(g => new { Account = g.Key, Sum = g.Sum(l => l.AmountRupiah) })
            .ToDictionaryAsync(g => g.Account, g => g.Sum, cancellationToken);
        var history = await db.JournalLines.Where(l => l.MemberId == memberId && l.Account != Accounts.Bank)
            .OrderByDescending(l => l.Id).Take(100)
            .Join(db.JournalEntries, l => l.EntryId, e => e.Id, (l, e) => new MemberMovement(l.PostedAt, l.Kind, l.Account, -l.AmountRupiah, e.Memo))
            .ToListAsync(cancellationToken);
        // What the cooperative owes her is a credit on her accounts: shown as a positive amount.
        return TypedResults.Ok(new MemberBalance(
            memberId,
            -sums.GetValueOrDefault(Accounts.MemberPending),
            -sums.GetValueOrDefault(Accounts.MemberAvailable),
            -sums.GetValueOrDefault(Accounts.MemberInPayout),
            -sums.GetValueOrDefault(Accounts.Bank),
            -sums.GetValueOrDefault(Accounts.MemberSavings),
            history,
            -sums.GetValueOrDefault(Accounts.MemberDisputed)));
    }

    private static async Task<Ok<List<MyPayout>>> MyPayoutsAsync(ClaimsPrincipal user, SettlementDbContext db, CancellationToken cancellationToken)
    {
        var memberId = user.MemberId()!.Value;
        var payouts = await db.PayoutLines.AsNoTracking().Where(l => l.MemberId == memberId)
            .Join(db.PayoutBatches, l => l.BatchId, b => b.Id, (l, b) => new { Line = l, Batch = b })
            .OrderByDescending(x => x.Batch.PreparedAt)
            .Take(100)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(payouts.Select(x => new MyPayout(
            x.Batch.Id, x.Batch.CutOff, x.Batch.Status, x.Line.AmountRupiah, x.Line.SavingsRupiah, x.Line.Status, x.Line.Reference,
            Statements.Url(x.Batch.Id, memberId))).ToList());
    }

    private static async Task<Created<PayoutBatchResponse>> PrepareAsync(
        Guid cooperativeId, PrepareBatchRequest request, ClaimsPrincipal user, SettlementDbContext db, TimeProvider clock, AuditTrail audit, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var batch = PayoutBatch.Prepare(cooperativeId, request.CutOff, request.MinimumRupiah, user.UserId()!.Value, now);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // One batch at a time per cooperative: a second admin preparing at the same moment waits, then sees the
        // money the first one reserved already gone from the available balances.
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({cooperativeId.ToString()}, 0))", cancellationToken);

        // Earnings up to the cut-off; payout movements (reservations, failed transfers) whenever they happened.
        var balances = await db.JournalLines
            .Where(l => l.CooperativeId == cooperativeId && l.Account == Accounts.MemberAvailable && l.MemberId != null
                && (l.PostedAt <= batch.CutOff || l.Kind == "payout"))
            .GroupBy(l => l.MemberId!.Value)
            .Select(g => new { MemberId = g.Key, Available = -g.Sum(l => l.AmountRupiah) })
            .ToListAsync(cancellationToken);
        var payable = PayoutRules.Payable(balances.Select(b => (b.MemberId, b.Available)), request.MinimumRupiah, request.SavingsDueRupiah);
        var memberIds = payable.Select(p => p.MemberId).ToList();
        var accounts = await db.PayoutAccounts.Where(a => memberIds.Contains(a.MemberId)).ToDictionaryAsync(a => a.MemberId, cancellationToken);
        var changing = await db.PayoutAccountChanges.Where(c => memberIds.Contains(c.MemberId) && c.Status == PayoutAccountChangeStatus.Pending)
            .Select(c => c.MemberId).ToHashSetAsync(cancellationToken);
        foreach (var member in payable)
        {
            if (batch.Include(member, accounts.GetValueOrDefault(member.MemberId), changing.Contains(member.MemberId)) is not null)
            {
                db.JournalEntries.Add(PayoutPostings.Reserve(batch, member, now));
            }
        }

        batch.AwaitApproval();
        db.PayoutBatches.Add(batch);
        audit.Record(db, "payout.prepared", cooperativeId, "payout-batch", batch.Id, null, BatchFields(batch));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Created($"/api/settlement/payout-batches/{batch.Id}", Describe(batch));
    }

    private static async Task<Ok<List<PayoutBatchResponse>>> ListBatchesAsync(Guid cooperativeId, SettlementDbContext db, CancellationToken cancellationToken)
    {
        var batches = await db.PayoutBatches.AsNoTracking().Include(b => b.Lines).Include(b => b.Waiting).AsSplitQuery().Where(b => b.CooperativeId == cooperativeId)
            .OrderByDescending(b => b.PreparedAt).Take(50).ToListAsync(cancellationToken);
        return TypedResults.Ok(batches.Select(Describe).ToList());
    }

    private static async Task<Results<Ok<PayoutBatchResponse>, NotFound>> GetBatchAsync(Guid batchId, ClaimsPrincipal user, SettlementDbContext db, CancellationToken cancellationToken)
    {
        var batch = await LoadAsync(batchId, user, db, cancellationToken);
        return batch is null ? TypedResults.NotFound() : TypedResults.Ok(Describe(batch));
    }

    private static async Task<Results<Ok<PayoutBatchResponse>, NotFound>> ApproveAsync(
        Guid batchId, ClaimsPrincipal user, SettlementDbContext db, TimeProvider clock, AuditTrail audit, CancellationToken cancellationToken)
    {
        var batch = await LoadAsync(batchId, user, db, cancellationToken);
        if (batch is null)
        {
            return TypedResults.NotFound();
        }

        var before = new { batch.Status };
        batch.Approve(user.UserId()!.Value, clock.GetUtcNow());
        audit.Record(db, "payout.approved", batch.CooperativeId, "payout-batch", batch.Id, before, BatchFields(batch));
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(Describe(batch));
    }

    private static async Task<Results<Ok<PayoutBatchResponse>, NotFound>> SettleAsync(
        Guid batchId, Guid memberId, bool paid, string reference, ClaimsPrincipal user, SettlementDbContext db, TimeProvider clock, AuditTrail audit,
        CancellationToken cancellationToken)
    {
        var batch = await LoadAsync(batchId, user, db, cancellationToken);
        if (batch is null)
        {
            return TypedResults.NotFound();
        }

        var now = clock.GetUtcNow();
        var line = batch.Settle(memberId, paid, reference, now);
        db.JournalEntries.Add(PayoutPostings.Settled(batch, line, now));
        audit.Record(db, paid ? "payout.transfer-paid" : "payout.transfer-failed", batch.CooperativeId, "payout-batch", batch.Id, null,
            new { line.MemberId, line.AmountRupiah, line.Bank, line.AccountNumber, line.Status, line.Reference });
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(Describe(batch));
    }

    private static async Task<Results<FileContentHttpResult, NotFound>> BankFileAsync(Guid batchId, ClaimsPrincipal user, SettlementDbContext db, CancellationToken cancellationToken)
    {
        var batch = await LoadAsync(batchId, user, db, cancellationToken);
        return batch is null
            ? TypedResults.NotFound()
            : TypedResults.File(Encoding.UTF8.GetBytes(BankTransferFile.Write(batch)), "text/csv", $"payout-{batch.Id}.csv");
    }

    private static async Task<NoContent> SetSettingsAsync(
        Guid cooperativeId, SettlementSettingsRequest request, SettlementDbContext db, AuditTrail audit, CancellationToken cancellationToken)
    {
        var settings = await db.CooperativeSettings.FindAsync([cooperativeId], cancellationToken);
        if (settings is null)
        {
            settings = CooperativeSettings.For(cooperativeId);
            db.CooperativeSettings.Add(settings);
        }

        var before = new { settings.HoldingDays };
        settings.HoldFor(request.HoldingDays);
        audit.Record(db, "settings.holding-days-changed", cooperativeId, "cooperative", cooperativeId, before, new { settings.HoldingDays });
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    private static object BatchFields(PayoutBatch batch) => new
    {
        batch.Status, batch.CutOff, batch.MinimumRupiah, members = batch.Lines.Count, totalRupiah = batch.Lines.Sum(l => l.AmountRupiah),
    };

    private static async Task<Ok<List<AccountBalance>>> TrialBalanceAsync(Guid cooperativeId, SettlementDbContext db, CancellationToken cancellationToken)
    {
        var balances = await db.JournalLines.Where(l => l.CooperativeId == cooperativeId)
            .GroupBy(l => new { l.Account, l.MemberId })
            .Select(g => new AccountBalance(g.Key.Account, g.Key.MemberId, g.Sum(l => l.AmountRupiah)))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(balances.OrderBy(b => b.Account, StringComparer.Ordinal).ToList());
    }

    /// <summary>Another cooperative's batch answers 404.</summary>
    private static async Task<PayoutBatch?> LoadAsync(Guid batchId, ClaimsPrincipal user, SettlementDbContext db, CancellationToken cancellationToken)
    {
        var batch = await db.PayoutBatches.Include(b => b.Lines).Include(b => b.Waiting).FirstOrDefaultAsync(b => b.Id == batchId, cancellationToken);
        return batch is not null && user.IsAdminOf(batch.CooperativeId) ? batch : null;
    }

    private static PayoutBatchResponse Describe(PayoutBatch batch) => new(
        batch.Id, batch.CooperativeId, batch.CutOff, batch.MinimumRupiah, batch.Status, batch.PreparedBy, batch.ApprovedBy, batch.TotalRupiah,
        batch.Lines.Select(l => new PayoutLineResponse(l.MemberId, l.AmountRupiah, l.SavingsRupiah, l.Method, l.BankCode, l.Bank, l.AccountNumber, l.AccountName, l.Status, l.Reference)).ToList(),
        batch.Waiting.Select(w => new PayoutWaitingResponse(w.MemberId, w.AvailableRupiah, w.Reason)).ToList());
}
