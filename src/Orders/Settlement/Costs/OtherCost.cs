using Marketplace.ServiceDefaults.Errors;

namespace Marketplace.Orders.Settlement.Costs;

/// <summary>
/// A cost that is not the goods themselves: a member's packaging or transport, or the cooperative's own running costs
/// (<see cref="MemberId"/> null). Never edited in place and never erased: an edit replaces the cost by a new one and
/// a deletion keeps the cost with its reason, so what a report once showed can always be explained.
/// </summary>
public sealed class OtherCost
{
    private OtherCost()
    {
    }

    public Guid Id { get; private set; }

    public Guid CooperativeId { get; private set; }

    /// <summary>The member whose cost it is; null for the cooperative's own.</summary>
    public Guid? MemberId { get; private set; }

    public string Category { get; private set; } = string.Empty;

    public long AmountRupiah { get; private set; }

    /// <summary>The day the money was spent, in the cooperative's calendar.</summary>
    public DateOnly Date { get; private set; }

    public string? Note { get; private set; }

    public Guid RecordedBy { get; private set; }

    public DateTimeOffset RecordedAt { get; private set; }

    /// <summary>The cost this one replaced (an edit).</summary>
    public Guid? Replaces { get; private set; }

    public DateTimeOffset? DeletedAt { get; private set; }

    public Guid? DeletedBy { get; private set; }

    /// <summary>Why it was deleted; for an edit, that it was replaced.</summary>
    public string? DeletedReason { get; private set; }

    /// <summary>The cost that replaced this one, when it was edited.</summary>
    public Guid? ReplacedBy { get; private set; }

    public uint Version { get; private set; }

    public bool Counts => DeletedAt is null;

    public static OtherCost Record(Guid cooperativeId, Guid? memberId, OtherCostInput input, Guid by, DateOnly today, DateTimeOffset now, Guid? replaces = null)
    {
        OtherCostRules.Check(input, memberId is null, today);
        return new OtherCost
        {
            Id = Guid.NewGuid(),
            CooperativeId = cooperativeId,
            MemberId = memberId,
            Category = input.Category!,
            AmountRupiah = input.AmountRupiah!.Value,
            Date = input.Date!.Value,
            Note = string.IsNullOrWhiteSpace(input.Note) ? null : input.Note.Trim(),
            RecordedBy = by,
            RecordedAt = now,
            Replaces = replaces,
        };
    }

    /// <summary>An edit: this cost gives way to a new one with the corrected figures, within its month only.</summary>
    public OtherCost ReplaceWith(OtherCostInput input, Guid by, DateOnly today, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(input);
        EnsureOpen(today);
        if (input.Date is { } date && !OtherCostRules.SameMonth(date, today))
        {
            throw new ValidationFailedException([new FieldError("date", OtherCostRules.DateOutsideMonthCode, "An edited cost stays in its month, the current one.")]);
        }

        var replacement = Record(CooperativeId, MemberId, input, by, today, now, Id);
        DeletedAt = now;
        DeletedBy = by;
        DeletedReason = OtherCostRules.ReplacedReason;
        ReplacedBy = replacement.Id;
        return replacement;
    }

    public void Delete(string? reason, Guid by, DateOnly today, DateTimeOffset now)
    {
        EnsureOpen(today);
        if (string.IsNullOrWhiteSpace(reason) || reason.Trim().Length > OtherCostRules.MaxNote)
        {
            throw new ValidationFailedException([new FieldError("reason", OtherCostRules.ReasonRequiredCode, $"Say why the cost is deleted (at most {OtherCostRules.MaxNote} characters).")]);
        }

        DeletedAt = now;
        DeletedBy = by;
        DeletedReason = reason.Trim();
    }

    /// <summary>
    /// A month's figures are final once it has ended (a member has been paid and has reported on it): only a cost of the
    /// current month may be edited or deleted, and only once.
    /// </summary>
    private void EnsureOpen(DateOnly today)
    {
        if (DeletedAt is not null)
        {
            throw new ConflictException("This cost was already deleted or replaced.", OtherCostRules.AlreadyGoneCode);
        }

        if (!OtherCostRules.SameMonth(Date, today))
        {
            throw new ConflictException("A cost of a month that has ended can no longer be changed; record a new cost instead.", OtherCostRules.MonthClosedCode);
        }
    }
}
