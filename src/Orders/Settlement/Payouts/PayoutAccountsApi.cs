using System.Security.Claims;
using Marketplace.Orders.Settlement.Data;
using Marketplace.ServiceDefaults.Audit;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Formatting;
using Marketplace.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Orders.Settlement.Payouts;

/// <summary><see cref="Bank"/> is the bank's code (<c>002</c> for BRI); the number may be written with spaces or dashes.</summary>
public sealed record PayoutAccountRequest(string? Bank, string? AccountNumber, string? AccountName);

public sealed record RejectAccountRequest(string? Reason);

/// <summary>The account payouts go to, with who proposed and who confirmed it.</summary>
public sealed record ConfirmedAccountView(
    string BankCode, string BankName, string AccountNumber, string AccountName, Guid ProposedBy, DateTimeOffset ProposedAt, Guid ConfirmedBy, DateTimeOffset ConfirmedAt);

public sealed record AccountChangeView(
    Guid Id, string BankCode, string BankName, string AccountNumber, string AccountName, PayoutAccountChangeStatus Status,
    Guid ProposedBy, bool ProposedByMember, DateTimeOffset ProposedAt, Guid? DecidedBy, DateTimeOffset? DecidedAt, string? RejectionReason);

/// <summary>
/// A member's bank account: the confirmed one payouts use, the proposal waiting for a second admin (payouts wait while
/// there is one), and the last proposal rejected since the confirmed one (so she learns why).
/// </summary>
public sealed record PayoutAccountState(Guid MemberId, ConfirmedAccountView? Confirmed, AccountChangeView? Pending, AccountChangeView? LastRejected);

public static class PayoutAccountsApi
{
    internal static RouteGroupBuilder MapPayoutAccountsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/members/me/payout-account", MineAsync)
            .RequireAuthorization(MarketplacePolicies.Member)
            .WithName("MyPayoutAccount")
            .WithSummary("The member's confirmed bank account and any change waiting for a second admin.");
        api.MapPut("/members/me/payout-account", ProposeMineAsync)
            .RequireAuthorization(MarketplacePolicies.Member)
            .WithName("ProposePayoutAccount")
            .WithSummary("The member proposes the bank account she is paid to; it is used once another admin confirms it.");
        api.MapGroup("/cooperatives/{cooperativeId:guid}").RequireAdminOfRouteCooperative()
            .MapGet("/payout-accounts", ListAsync)
            .WithName("ListPayoutAccounts")
            .WithSummary("Every member's bank account and the changes waiting for confirmation.");
        // Another cooperative's admin learns nothing, not even whether the member exists.
        api.MapGroup("/cooperatives/{cooperativeId:guid}").RequireAdminOfRouteCooperative(hideFromOthers: true)
            .MapPut("/members/{memberId:guid}/payout-account", ProposeForMemberAsync)
            .WithName("ProposePayoutAccountForMember")
            .WithSummary("An admin proposes a bank account on a member's behalf; another admin must confirm it.");
        api.MapPost("/payout-account-changes/{changeId:guid}/confirm", ConfirmAsync)
            .RequireAuthorization(MarketplacePolicies.CooperativeAdmin)
            .WithName("ConfirmPayoutAccount")
            .WithSummary("A second admin (not the proposer, not the member) confirms a proposed account: payouts use it from now on.");
        api.MapPost("/payout-account-changes/{changeId:guid}/reject", RejectAsync)
            .RequireAuthorization(MarketplacePolicies.CooperativeAdmin)
            .WithName("RejectPayoutAccount")
            .WithSummary("An admin rejects a proposed account; the confirmed one, if any, stays.");
        return api;
    }

    private static async Task<Ok<PayoutAccountState>> MineAsync(ClaimsPrincipal user, SettlementDbContext db, CancellationToken cancellationToken)
    {
        var memberId = user.MemberId()!.Value;
        return TypedResults.Ok(await StateAsync(db, memberId, cancellationToken));
    }

    private static async Task<Results<Ok<PayoutAccountState>, NotFound>> ProposeMineAsync(
        PayoutAccountRequest request, ClaimsPrincipal user, SettlementDbContext db, TimeProvider clock, AuditTrail audit, CancellationToken cancellationToken)
    {
        var memberId = user.MemberId()!.Value;
        // Her cooperative as Catalog told us; before that message arrives, the one her token names.
        var cooperativeId = await db.Members.Where(m => m.MemberId == memberId).Select(m => (Guid?)m.CooperativeId).FirstOrDefaultAsync(cancellationToken)
            ?? (user.CooperativeIds() is { Count: 1 } ids ? ids.Single() : null);
        if (cooperativeId is null)
        {
            return TypedResults.NotFound();
        }

        return await ProposeAsync(memberId, cooperativeId.Value, request, user.UserId()!.Value, byMember: true, db, clock, audit, cancellationToken);
    }

    private static async Task<Results<Ok<PayoutAccountState>, NotFound>> ProposeForMemberAsync(
        Guid cooperativeId, Guid memberId, PayoutAccountRequest request, ClaimsPrincipal user, SettlementDbContext db, TimeProvider clock, AuditTrail audit,
        CancellationToken cancellationToken)
    {
        // Only for a member Catalog says is this cooperative's (the route group checked the caller is its admin).
        if (!await db.Members.AnyAsync(m => m.MemberId == memberId && m.CooperativeId == cooperativeId, cancellationToken))
        {
            return TypedResults.NotFound();
        }

        return await ProposeAsync(memberId, cooperativeId, request, user.UserId()!.Value, byMember: false, db, clock, audit, cancellationToken);
    }

    private static async Task<Results<Ok<PayoutAccountState>, NotFound>> ProposeAsync(
        Guid memberId, Guid cooperativeId, PayoutAccountRequest request, Guid proposer, bool byMember, SettlementDbContext db, TimeProvider clock, AuditTrail audit,
        CancellationToken cancellationToken)
    {
        var errors = IndonesianBanks.Check(request.Bank, request.AccountNumber, request.AccountName);
        if (errors.Count > 0)
        {
            // Every broken rule at once, by field, with its code: a page says it in its reader's language.
            throw new ValidationFailedException([.. errors.Select(e => new FieldError(e.Key, e.Value, Explain(e.Value)))]);
        }

        var now = clock.GetUtcNow();
        // Retiring the waiting proposal and adding the new one commit together.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var change = PayoutAccountChange.Propose(memberId, cooperativeId, request.Bank, request.AccountNumber, request.AccountName, proposer, byMember, now);
        var confirmed = await db.PayoutAccounts.FindAsync([memberId], cancellationToken);
        var pending = await db.PayoutAccountChanges
            .FromSqlInterpolated($"SELECT * FROM settlement.payout_account_changes WHERE member_id = {memberId} AND status = 'Pending' FOR UPDATE")
            .FirstOrDefaultAsync(cancellationToken);
        if (confirmed is not null && confirmed.Matches(change.BankCode, change.AccountNumber, change.AccountName))
        {
            // The account she already has: nothing to confirm. A different proposal waiting is withdrawn by it.
            if (pending is not null)
            {
                pending.ReplaceBy(change);
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }

            return TypedResults.Ok(await StateAsync(db, memberId, cancellationToken));
        }

        if (pending is not null)
        {
            pending.ReplaceBy(change);
            // The unique index allows one pending proposal per member: retire the old one first.
            await db.SaveChangesAsync(cancellationToken);
        }

        db.PayoutAccountChanges.Add(change);
        audit.Record(db, "payout-account.proposed", cooperativeId, "member", memberId, AccountFields(confirmed), new { change.BankName, change.AccountNumber, change.AccountName });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(await StateAsync(db, memberId, cancellationToken));
    }

    private static async Task<Ok<List<PayoutAccountState>>> ListAsync(Guid cooperativeId, SettlementDbContext db, CancellationToken cancellationToken)
    {
        var accounts = await db.PayoutAccounts.AsNoTracking().Where(a => a.CooperativeId == cooperativeId).Take(2000).ToDictionaryAsync(a => a.MemberId, cancellationToken);
        var pending = await db.PayoutAccountChanges.AsNoTracking()
            .Where(c => c.CooperativeId == cooperativeId && c.Status == PayoutAccountChangeStatus.Pending)
            .Take(2000).ToDictionaryAsync(c => c.MemberId, cancellationToken);
        var states = accounts.Keys.Union(pending.Keys)
            .Select(id => new PayoutAccountState(id, accounts.TryGetValue(id, out var a) ? View(a) : null, pending.TryGetValue(id, out var p) ? View(p) : null, null))
            .OrderByDescending(s => s.Pending?.ProposedAt)
            .ToList();
        return TypedResults.Ok(states);
    }

    private static async Task<Results<Ok<PayoutAccountState>, NotFound>> ConfirmAsync(
        Guid changeId, ClaimsPrincipal user, SettlementDbContext db, TimeProvider clock, AuditTrail audit, CancellationToken cancellationToken)
    {
        // Locked: a confirmation and a rejection (or a new proposal) at the same moment cannot both win.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var change = await LockedChangeAsync(db, changeId, cancellationToken);
        if (change is null || !user.IsAdminOf(change.CooperativeId))
        {
            return TypedResults.NotFound();
        }

        change.Confirm(user.UserId()!.Value, user.MemberId(), clock.GetUtcNow());
        var account = await db.PayoutAccounts.FindAsync([change.MemberId], cancellationToken);
        // Where a member's money goes: the change most worth a second look after a loss.
        audit.Record(db, "payout-account.confirmed", change.CooperativeId, "member", change.MemberId, AccountFields(account),
            new { change.BankName, change.AccountNumber, change.AccountName });
        if (account is null)
        {
            db.PayoutAccounts.Add(PayoutAccount.From(change));
        }
        else
        {
            account.Apply(change);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(await StateAsync(db, change.MemberId, cancellationToken));
    }

    private static async Task<Results<Ok<PayoutAccountState>, NotFound>> RejectAsync(
        Guid changeId, RejectAccountRequest? request, ClaimsPrincipal user, SettlementDbContext db, TimeProvider clock, AuditTrail audit, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var change = await LockedChangeAsync(db, changeId, cancellationToken);
        if (change is null || !user.IsAdminOf(change.CooperativeId))
        {
            return TypedResults.NotFound();
        }

        change.Reject(user.UserId()!.Value, request?.Reason, clock.GetUtcNow());
        audit.Record(db, "payout-account.rejected", change.CooperativeId, "member", change.MemberId, null,
            new { change.BankName, change.AccountNumber, change.AccountName }, request?.Reason);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(await StateAsync(db, change.MemberId, cancellationToken));
    }

    private static object? AccountFields(PayoutAccount? account) => account is null ? null : new { account.Bank, account.AccountNumber, account.AccountName };

    private static Task<PayoutAccountChange?> LockedChangeAsync(SettlementDbContext db, Guid changeId, CancellationToken cancellationToken) =>
        db.PayoutAccountChanges
            .FromSqlInterpolated($"SELECT * FROM settlement.payout_account_changes WHERE id = {changeId} FOR UPDATE")
            .FirstOrDefaultAsync(cancellationToken);

    private static async Task<PayoutAccountState> StateAsync(SettlementDbContext db, Guid memberId, CancellationToken cancellationToken)
    {
        var account = await db.PayoutAccounts.AsNoTracking().FirstOrDefaultAsync(a => a.MemberId == memberId, cancellationToken);
        var pending = await db.PayoutAccountChanges.AsNoTracking()
            .FirstOrDefaultAsync(c => c.MemberId == memberId && c.Status == PayoutAccountChangeStatus.Pending, cancellationToken);
        var since = account?.ConfirmedAt ?? DateTimeOffset.MinValue;
        var rejected = await db.PayoutAccountChanges.AsNoTracking()
            .Where(c => c.MemberId == memberId && c.Status == PayoutAccountChangeStatus.Rejected && c.DecidedAt > since)
            .OrderByDescending(c => c.DecidedAt).FirstOrDefaultAsync(cancellationToken);
        return new PayoutAccountState(memberId, account is null ? null : View(account), pending is null ? null : View(pending), rejected is null ? null : View(rejected));
    }

    private static ConfirmedAccountView View(PayoutAccount a) =>
        new(a.BankCode, a.Bank, a.AccountNumber, a.AccountName, a.ProposedBy, a.ProposedAt, a.ConfirmedBy, a.ConfirmedAt);

    private static AccountChangeView View(PayoutAccountChange c) =>
        new(c.Id, c.BankCode, c.BankName, c.AccountNumber, c.AccountName, c.Status,
            c.ProposedBy, c.ProposedByMember, c.ProposedAt, c.DecidedBy, c.DecidedAt, c.RejectionReason);

    private static string Explain(string rule) => rule switch
    {
        "bank_missing" => "Choose the bank.",
        "bank_unknown" => "This bank is not on the list; choose one by its code.",
        "number_missing" => "The account number is needed.",
        "number_not_digits" => "An account number has digits only.",
        "number_length" => "This bank's account numbers do not have that many digits.",
        "holder_missing" => "The account holder's name is needed.",
        "holder_too_long" => $"The holder's name is at most {IndonesianBanks.MaximumHolderLength} characters.",
        _ => rule,
    };
}
