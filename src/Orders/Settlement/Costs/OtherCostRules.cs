using Marketplace.ServiceDefaults.Errors;

namespace Marketplace.Orders.Settlement.Costs;

/// <summary>A cost as typed: every field is checked, and all mistakes are told at once.</summary>
public sealed record OtherCostInput(string? Category, long? AmountRupiah, DateOnly? Date, string? Note);

public sealed record DeleteCostRequest(string? Reason);

/// <summary>
/// What a cost may be. A member's costs are packaging, transport or other; the cooperative's also rent, wages and
/// utilities. Amounts are whole rupiah above zero. The date is a day up to today and at most a year back: a forgotten
/// receipt may still be recorded in a past month (it is added, visibly, never hidden), but only a cost of the current
/// month may be edited or deleted (<see cref="OtherCost"/>).
/// </summary>
public static class OtherCostRules
{
    public const int MaxNote = 200;

    public const long MaxAmountRupiah = 10_000_000_000;

    public const string ReplacedReason = "replaced";

    public const string CategoryCode = "cost_category";

    public const string AmountCode = "cost_amount";

    public const string DateCode = "cost_date";

    public const string NoteCode = "cost_note";

    public const string DateOutsideMonthCode = "cost_date_outside_month";

    public const string ReasonRequiredCode = "cost_reason_required";

    public const string MonthClosedCode = "cost_month_closed";

    public const string AlreadyGoneCode = "cost_already_deleted";

    public static readonly IReadOnlyList<string> MemberCategories = ["packaging", "transport", "other"];

    public static readonly IReadOnlyList<string> CooperativeCategories = ["rent", "wages", "utilities", "packaging", "transport", "other"];

    public static IReadOnlyList<string> Categories(bool cooperative) => cooperative ? CooperativeCategories : MemberCategories;

    public static bool SameMonth(DateOnly a, DateOnly b) => a.Year == b.Year && a.Month == b.Month;

    public static void Check(OtherCostInput input, bool cooperative, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(input);
        var errors = new FieldErrors();
        if (input.Category is null || !Categories(cooperative).Contains(input.Category))
        {
            errors.Add("category", CategoryCode, $"The category is one of {string.Join(", ", Categories(cooperative))}.");
        }

        if (input.AmountRupiah is not (> 0 and <= MaxAmountRupiah))
        {
            errors.Add("amountRupiah", AmountCode, "The amount is whole rupiah, more than 0.");
        }

        if (input.Date is not { } date || date > today || date < today.AddYears(-1))
        {
            errors.Add("date", DateCode, "The date is a day up to today, at most a year back.");
        }

        if (input.Note is { } note && note.Trim().Length > MaxNote)
        {
            errors.Add("note", NoteCode, $"The note has at most {MaxNote} characters.");
        }

        errors.ThrowIfAny();
    }
}
