using Marketplace.ServiceDefaults.Errors;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Orders.Settlement.Payouts;

public enum PayoutBatchStatus
{
    Draft,
    Approved,
    Paid,
}

public enum PayoutLineStatus
{
    Pending,
    Paid,
    Failed,
}

/// <summary>
/// A payout to the cooperative's members: prepared by one admin for a cut-off date, approved by another, then each
/// member's line paid (with the transfer reference) or failed (her money goes back to her balance).
/// </summary>
public sealed class PayoutBatch
{
    private PayoutBatch()
    {
    }

    public Guid Id { get; private set; }

    public Guid CooperativeId { get; private set; }

    public DateTimeOffset CutOff { get; private set; }

    public long MinimumRupiah { get; private set; }

    public PayoutBatchStatus Status { get; private set; }

    public Guid PreparedBy { get; private set; }

    public DateTimeOffset PreparedAt { get; private set; }

    public Guid? ApprovedBy { get; private set; }

    public DateTimeOffset? ApprovedAt { get; private set; }

    public List<PayoutLine> Lines { get; private set; } = [];

    /// <summary>Members who had money to be paid but were left out until their bank account is confirmed.</summary>
    public List<PayoutWaiting> Waiting { get; private set; } = [];

    public uint Version { get; private set; }

    public static PayoutBatch Prepare(Guid cooperativeId, DateTimeOffset cutOff, long minimum, Guid preparedBy, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(),
        CooperativeId = cooperativeId,
        CutOff = cutOff,
        MinimumRupiah = minimum,
        Status = PayoutBatchStatus.Draft,
        PreparedBy = preparedBy,
        PreparedAt = now,
    };

    /// <summary>Four eyes: the admin who prepared a batch cannot approve it.</summary>
    public void Approve(Guid approver, DateTimeOffset now)
    {
        if (Status != PayoutBatchStatus.Draft)
        {
            throw new ConflictException($"A batch that is {Status} cannot be approved.", "illegal_transition");
        }

        if (approver == PreparedBy)
        {
            throw new ConflictException("Another admin must approve the batch you prepared.", "same_admin");
        }

        Status = PayoutBatchStatus.Approved;
        ApprovedBy = approver;
        ApprovedAt = now;
    }

    public PayoutLine Settle(Guid memberId, bool paid, string? referenceOrReason, DateTimeOffset now)
    {
        if (Status != PayoutBatchStatus.Approved)
        {
            throw new ConflictException("Only an approved batch is paid out.", "illegal_transition");
        }

        var line = Lines.FirstOrDefault(l => l.MemberId == memberId) ?? throw new NotFoundException("This member is not in the batch.");
        if (line.Status != PayoutLineStatus.Pending)
        {
            throw new ConflictException($"This member's payout is already {line.Status}.", "illegal_transition");
        }

        if (string.IsNullOrWhiteSpace(referenceOrReason) || referenceOrReason.Length > 100)
        {
            throw new DomainException(paid ? "A transfer reference (1 to 100 characters) is needed." : "A reason (1 to 100 characters) is needed.", "invalid_reference");
        }

        line.Settle(paid, referenceOrReason.Trim(), now);
        if (Lines.All(l => l.Status != PayoutLineStatus.Pending))
        {
            Status = PayoutBatchStatus.Paid;
        }

        return line;
    }
}

public sealed class PayoutLine
{
    private PayoutLine()
    {
    }

    public Guid BatchId { get; private set; }

    public Guid MemberId { get; private set; }

    /// <summary>What she is paid: her available balance less the savings deducted.</summary>
    public long AmountRupiah { get; private set; }

    /// <summary>Simpanan wajib deducted from this payout, on its own line of her statement.</summary>
    public long SavingsRupiah { get; private set; }

    /// <summary><c>bank</c> when the member has a confirmed account, else <c>cash</c> at the cooperative.</summary>
    public string Method { get; private set; } = "cash";

    public string? BankCode { get; private set; }

    public string? Bank { get; private set; }

    public string? AccountNumber { get; private set; }

    public string? AccountName { get; private set; }

    public PayoutLineStatus Status { get; private set; }

    public string? Reference { get; private set; }

    public DateTimeOffset? SettledAt { get; private set; }

    public static PayoutLine For(Guid batchId, Guid memberId, long amount, long savings, PayoutAccount? account) => new()
    {
        BatchId = batchId,
        MemberId = memberId,
        AmountRupiah = amount,
        SavingsRupiah = savings,
        Method = account is null ? "cash" : "bank",
        BankCode = account?.BankCode,
        Bank = account?.Bank,
        AccountNumber = account?.AccountNumber,
        AccountName = account?.AccountName,
        Status = PayoutLineStatus.Pending,
    };

    internal void Settle(bool paid, string reference, DateTimeOffset now)
    {
        Status = paid ? PayoutLineStatus.Paid : PayoutLineStatus.Failed;
        Reference = reference;
        SettledAt = now;
    }
}

/// <summary>
/// A member with money available who was left out of a batch, and why (her bank account waits for a second admin's
/// confirmation): her money stays available for the next batch, and the batch page says so.
/// </summary>
public sealed class PayoutWaiting
{
    private PayoutWaiting()
    {
    }

    public Guid BatchId { get; private set; }

    public Guid MemberId { get; private set; }

    public long AvailableRupiah { get; private set; }

    /// <summary><c>account_unconfirmed</c> (her first account waits) or <c>account_change_pending</c> (a change waits).</summary>
    public string Reason { get; private set; } = string.Empty;

    public static PayoutWaiting For(Guid batchId, Guid memberId, long available, string reason) => new()
    {
        BatchId = batchId, MemberId = memberId, AvailableRupiah = available, Reason = reason,
    };
}

internal sealed class PayoutBatchConfiguration : IEntityTypeConfiguration<PayoutBatch>
{
    public void Configure(EntityTypeBuilder<PayoutBatch> builder)
    {
        builder.ToTable("payout_batches");
        builder.HasKey(b => b.Id);
        builder.Property(b => b.Status).HasConversion<string>().HasMaxLength(10);
        builder.Property(b => b.Version).IsRowVersion();
        builder.HasMany(b => b.Lines).WithOne().HasForeignKey(l => l.BatchId);
        builder.HasMany(b => b.Waiting).WithOne().HasForeignKey(w => w.BatchId);
        builder.HasIndex(b => b.CooperativeId);
    }
}

internal sealed class PayoutLineConfiguration : IEntityTypeConfiguration<PayoutLine>
{
    public void Configure(EntityTypeBuilder<PayoutLine> builder)
    {
        builder.ToTable("payout_lines");
        builder.HasKey(l => new { l.BatchId, l.MemberId });
        builder.Property(l => l.Status).HasConversion<string>().HasMaxLength(10);
        builder.Property(l => l.Method).HasMaxLength(10);
        builder.Property(l => l.BankCode).HasMaxLength(3);
        builder.Property(l => l.Bank).HasMaxLength(60);
        builder.Property(l => l.AccountNumber).HasMaxLength(40);
        builder.Property(l => l.AccountName).HasMaxLength(100);
        builder.Property(l => l.Reference).HasMaxLength(100);
    }
}

internal sealed class PayoutWaitingConfiguration : IEntityTypeConfiguration<PayoutWaiting>
{
    public void Configure(EntityTypeBuilder<PayoutWaiting> builder)
    {
        builder.ToTable("payout_waiting");
        builder.HasKey(w => new { w.BatchId, w.MemberId });
        builder.Property(w => w.Reason).HasMaxLength(30);
    }
}
