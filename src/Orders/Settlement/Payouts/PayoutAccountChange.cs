using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Formatting;

namespace Marketplace.Orders.Settlement.Payouts;

/// <summary>
/// A proposed bank account for a member, by herself or by an admin on her behalf, waiting for another admin of her
/// cooperative to confirm it against her bank book. Kept after the decision: the record of who did what, and when.
/// </summary>
public sealed class PayoutAccountChange
{
    private PayoutAccountChange()
    {
    }

    public Guid Id { get; private set; }

    public Guid MemberId { get; private set; }

    public Guid CooperativeId { get; private set; }

    public string BankCode { get; private set; } = string.Empty;

    public string BankName { get; private set; } = string.Empty;

    public string AccountNumber { get; private set; } = string.Empty;

    public string AccountName { get; private set; } = string.Empty;

    public PayoutAccountChangeStatus Status { get; private set; }

    /// <summary>The user who proposed it (the member herself or an admin).</summary>
    public Guid ProposedBy { get; private set; }

    public bool ProposedByMember { get; private set; }

    public DateTimeOffset ProposedAt { get; private set; }

    public Guid? DecidedBy { get; private set; }

    public DateTimeOffset? DecidedAt { get; private set; }

    public string? RejectionReason { get; private set; }

    /// <summary>Records a proposal for an account that meets <see cref="IndonesianBanks.Check"/>.</summary>
    public static PayoutAccountChange Propose(
        Guid memberId, Guid cooperativeId, string? bankCode, string? accountNumber, string? accountName, Guid proposedBy, bool byMember, DateTimeOffset now)
    {
        // The API answers every broken rule by field before it gets here; this only guards the invariant.
        if (IndonesianBanks.Check(bankCode, accountNumber, accountName).Count > 0)
        {
            throw new DomainException("The bank account is not complete or not valid.", "invalid_payout_account");
        }

        var bank = IndonesianBanks.Find(bankCode)!;
        return new PayoutAccountChange
        {
            Id = Guid.CreateVersion7(),
            MemberId = memberId,
            CooperativeId = cooperativeId,
            BankCode = bank.Code,
            BankName = bank.Name,
            AccountNumber = IndonesianBanks.Digits(accountNumber),
            AccountName = accountName!.Trim(),
            Status = PayoutAccountChangeStatus.Pending,
            ProposedBy = proposedBy,
            ProposedByMember = byMember,
            ProposedAt = now,
        };
    }

    /// <summary>
    /// Four eyes: the person who proposed the account cannot confirm it, and neither can the member whose money it
    /// receives (even when she is also an admin).
    /// </summary>
    public void Confirm(Guid admin, Guid? adminMemberId, DateTimeOffset now)
    {
        EnsurePending();
        if (admin == ProposedBy)
        {
            throw new ConflictException("Another admin must confirm an account you proposed.", "same_person");
        }

        if (adminMemberId == MemberId)
        {
            throw new ConflictException("A member cannot confirm her own bank account.", "own_account");
        }

        // An account carried over from before confirmation existed may name a bank outside the list.
        if (IndonesianBanks.Check(BankCode, AccountNumber, AccountName).Count > 0)
        {
            throw new ConflictException("This account is not complete or names an unknown bank: propose it again.", "account_needs_new_proposal");
        }

        Status = PayoutAccountChangeStatus.Confirmed;
        DecidedBy = admin;
        DecidedAt = now;
    }

    public void Reject(Guid admin, string? reason, DateTimeOffset now)
    {
        EnsurePending();
        var trimmed = reason?.Trim();
        if (trimmed is { Length: > 200 })
        {
            throw new DomainException("A reason is at most 200 characters.", "invalid_reason");
        }

        Status = PayoutAccountChangeStatus.Rejected;
        DecidedBy = admin;
        DecidedAt = now;
        RejectionReason = string.IsNullOrEmpty(trimmed) ? null : trimmed;
    }

    internal void ReplaceBy(PayoutAccountChange newer)
    {
        EnsurePending();
        Status = PayoutAccountChangeStatus.Replaced;
        DecidedBy = newer.ProposedBy;
        DecidedAt = newer.ProposedAt;
    }

    private void EnsurePending()
    {
        if (Status != PayoutAccountChangeStatus.Pending)
        {
            throw new ConflictException($"This account change is already {Status.ToString().ToLowerInvariant()}.", "illegal_transition");
        }
    }
}
