using Marketplace.Contracts.Orders;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Messaging;

namespace Marketplace.Orders.Settlement.Payouts;

/// <summary>
/// A payout to the cooperative's members: prepared by one admin for a cut-off date, approved by another, then each
/// member's line paid (with the transfer reference) or failed (her money goes back to her balance). The admins are
/// told when it waits for approval, and each member when her line is paid, through Settlement's outbox.
/// </summary>
public sealed class PayoutBatch : AggregateRoot
{
    // Not stored: a prepared batch is announced once, by the request that prepared it.
    private bool _announced;

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

    public long TotalRupiah => Lines.Sum(l => l.AmountRupiah);

    /// <summary>A batch of what was earned up to <paramref name="cutOff"/> (now when not given; never in the future).</summary>
    public static PayoutBatch Prepare(Guid cooperativeId, DateTimeOffset? cutOff, long minimum, Guid preparedBy, DateTimeOffset now)
    {
        var until = cutOff?.ToUniversalTime() ?? now;
        if (until > now)
        {
            throw new DomainException("The cut-off cannot be in the future.", "invalid_cut_off");
        }

        if (minimum < 0)
        {
            throw new DomainException("The minimum payout and the savings due are 0 or more.", "invalid_minimum");
        }

        return new PayoutBatch
        {
            Id = Guid.CreateVersion7(),
            CooperativeId = cooperativeId,
            CutOff = until,
            MinimumRupiah = minimum,
            Status = PayoutBatchStatus.Draft,
            PreparedBy = preparedBy,
            PreparedAt = now,
        };
    }

    /// <summary>
    /// Adds a member's line, to her confirmed account or in cash without one. A bank account waiting for a second
    /// admin makes her wait instead (null), neither paid to the old account nor in cash, because an account change is
    /// how payouts are stolen: her money stays available for the next batch, and the batch says why.
    /// </summary>
    public PayoutLine? Include(PayableBalance payable, PayoutAccount? account, bool accountChangePending)
    {
        ArgumentNullException.ThrowIfNull(payable);
        if (Status != PayoutBatchStatus.Draft || Lines.Any(l => l.MemberId == payable.MemberId) || Waiting.Any(w => w.MemberId == payable.MemberId))
        {
            throw new InvalidOperationException($"Member {payable.MemberId} cannot be added to batch {Id}.");
        }

        if (accountChangePending)
        {
            Waiting.Add(PayoutWaiting.For(Id, payable.MemberId, payable.AvailableRupiah,
                account is null ? PayoutWaiting.AccountUnconfirmed : PayoutWaiting.AccountChangePending));
            return null;
        }

        var line = PayoutLine.For(Id, payable.MemberId, payable.NetRupiah, payable.SavingsRupiah, account);
        Lines.Add(line);
        return line;
    }

    /// <summary>
    /// Every member is in: the batch waits for a second admin, and the cooperative's admins are told so. A batch with
    /// nobody to pay (everyone below the minimum or waiting for her account) asks nobody to approve anything.
    /// </summary>
    public void AwaitApproval()
    {
        if (Status != PayoutBatchStatus.Draft || _announced)
        {
            throw new InvalidOperationException($"Batch {Id} was already prepared.");
        }

        _announced = true;
        if (Lines.Count > 0)
        {
            Owe(new PayoutBatchAwaitingApproval(Id, CooperativeId, PreparedBy, Lines.Count, TotalRupiah, PreparedAt), Id.ToString());
        }
    }

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

    /// <summary>One member's transfer went out (<paramref name="paid"/>) or failed; the batch is paid when no line is pending.</summary>
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
        if (paid)
        {
            // A failed transfer tells her nothing yet: her money is back in her balance for the next batch.
            Owe(new PayoutPaid(Id, CooperativeId, memberId, line.AmountRupiah, now), Id.ToString());
        }

        if (Lines.All(l => l.Status != PayoutLineStatus.Pending))
        {
            Status = PayoutBatchStatus.Paid;
        }

        return line;
    }
}
