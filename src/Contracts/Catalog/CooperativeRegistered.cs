namespace Marketplace.Contracts.Catalog;

/// <summary>
/// A cooperative was registered on the platform. Orders keeps its own copy of every cooperative,
/// because each cooperative is its own merchant of record.
/// </summary>
public sealed record CooperativeRegistered(
    Guid CooperativeId,
    string Slug,
    string Name,
    decimal FeePercent,
    DateTimeOffset RegisteredAt);

/// <summary>
/// The state of a cooperative after any change: what Orders and settlement need to sell under it.
/// Published in order after its registration; <see cref="Revision"/> grows with every change.
/// <see cref="KioskLocation"/> (where the kiosk is, in the cooperative's words) tells a shopper where to collect;
/// it came later, so a message without it reads as none.
/// </summary>
public sealed record CooperativeUpdated(
    Guid CooperativeId,
    string Slug,
    string Name,
    bool Active,
    FeePolicy FeePolicy,
    string TimeZone,
    IReadOnlyList<OpeningHours> KioskOpeningHours,
    long Revision,
    DateTimeOffset UpdatedAt,
    string? KioskLocation = null);

/// <summary>The cooperative's commission on a sale line: a percentage, optionally per product category.</summary>
public sealed record FeePolicy(decimal DefaultPercent, IReadOnlyDictionary<string, decimal> CategoryPercents);

/// <summary>When the kiosk is open on one day of the week, in the cooperative's time zone.</summary>
public sealed record OpeningHours(DayOfWeek Day, TimeOnly Opens, TimeOnly Closes);
