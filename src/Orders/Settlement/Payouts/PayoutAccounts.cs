using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Formatting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Orders.Settlement.Payouts;

/// <summary>
/// The bank account a member is paid to, once a second person has confirmed it. Only this account ever reaches a
/// payout or the bank file: a changed account is the classic way a payout is stolen. None: she is paid in cash.
/// </summary>
public sealed class PayoutAccount
{
    private PayoutAccount()
    {
    }

    public Guid MemberId { get; private set; }

    public Guid CooperativeId { get; private set; }

    public string BankCode { get; private set; } = string.Empty;

    /// <summary>The bank's name as the bank file shows it.</summary>
    public string Bank { get; private set; } = string.Empty;

    public string AccountNumber { get; private set; } = string.Empty;

    public string AccountName { get; private set; } = string.Empty;

    /// <summary>The proposal that became this account: who proposed and who confirmed it, and when.</summary>
    public Guid ChangeId { get; private set; }

    public Guid ProposedBy { get; private set; }

    public DateTimeOffset ProposedAt { get; private set; }

    public Guid ConfirmedBy { get; private set; }

    public DateTimeOffset ConfirmedAt { get; private set; }

    internal static PayoutAccount From(PayoutAccountChange change) => new PayoutAccount { MemberId = change.MemberId }.Apply(change);

    internal PayoutAccount Apply(PayoutAccountChange change)
    {
        CooperativeId = change.CooperativeId;
        BankCode = change.BankCode;
        Bank = change.BankName;
        AccountNumber = change.AccountNumber;
        AccountName = change.AccountName;
        ChangeId = change.Id;
        ProposedBy = change.ProposedBy;
        ProposedAt = change.ProposedAt;
        ConfirmedBy = change.DecidedBy!.Value;
        ConfirmedAt = change.DecidedAt!.Value;
        return this;
    }

    public bool Matches(string bankCode, string accountNumber, string accountName) =>
        BankCode == bankCode && AccountNumber == accountNumber && string.Equals(AccountName, accountName, StringComparison.Ordinal);
}

public enum PayoutAccountChangeStatus
{
    Pending,
    Confirmed,
    Rejected,

    /// <summary>A newer proposal for the same member took its place before anyone decided.</summary>
    Replaced,
}

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

/// <summary>
/// What Settlement knows of a member from Catalog's <c>MemberUpdated</c>: above all, which cooperative she belongs to,
/// so that only that cooperative's admins may propose or confirm her account.
/// </summary>
public sealed class SettlementMember
{
    public Guid MemberId { get; set; }

    public Guid CooperativeId { get; set; }

    public string DisplayName { get; set; } = string.Empty;

    public string Status { get; set; } = string.Empty;

    public long Revision { get; set; }
}

internal sealed class PayoutAccountConfiguration : IEntityTypeConfiguration<PayoutAccount>
{
    public void Configure(EntityTypeBuilder<PayoutAccount> builder)
    {
        builder.ToTable("payout_accounts");
        builder.HasKey(a => a.MemberId);
        builder.Property(a => a.BankCode).HasMaxLength(3);
        builder.Property(a => a.Bank).HasMaxLength(60);
        builder.Property(a => a.AccountNumber).HasMaxLength(40);
        builder.Property(a => a.AccountName).HasMaxLength(100);
        builder.HasIndex(a => a.CooperativeId);
    }
}

internal sealed class PayoutAccountChangeConfiguration : IEntityTypeConfiguration<PayoutAccountChange>
{
    public void Configure(EntityTypeBuilder<PayoutAccountChange> builder)
    {
        builder.ToTable("payout_account_changes");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.BankCode).HasMaxLength(3);
        builder.Property(c => c.BankName).HasMaxLength(60);
        builder.Property(c => c.AccountNumber).HasMaxLength(40);
        builder.Property(c => c.AccountName).HasMaxLength(100);
        builder.Property(c => c.Status).HasConversion<string>().HasMaxLength(10);
        builder.Property(c => c.RejectionReason).HasMaxLength(200);
        builder.HasIndex(c => new { c.CooperativeId, c.Status });
        builder.HasIndex(c => new { c.MemberId, c.ProposedAt });
        // At most one proposal waits per member: two admins proposing at once cannot both be pending.
        builder.HasIndex(c => c.MemberId).IsUnique().HasFilter("status = 'Pending'").HasDatabaseName("ix_payout_account_changes_one_pending");
    }
}

internal sealed class SettlementMemberConfiguration : IEntityTypeConfiguration<SettlementMember>
{
    public void Configure(EntityTypeBuilder<SettlementMember> builder)
    {
        builder.ToTable("members");
        builder.HasKey(m => m.MemberId);
        builder.Property(m => m.DisplayName).HasMaxLength(80);
        builder.Property(m => m.Status).HasMaxLength(20);
        builder.HasIndex(m => m.CooperativeId);
    }
}
