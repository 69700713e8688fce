namespace Marketplace.Contracts.Catalog;

/// <summary>
/// A member's public identity and standing after any change; a suspended member sells nothing. Between
/// <see cref="AwayFrom"/> and <see cref="AwayUntil"/> (inclusive) she is on holiday (libur): her goods at the kiosk stay
/// sellable there, but nothing of hers can be ordered for shipping.
/// </summary>
public sealed record MemberUpdated(
    Guid MemberId,
    Guid CooperativeId,
    string DisplayName,
    string BusinessName,
    string Status,
    long Revision,
    DateTimeOffset UpdatedAt,
    DateOnly? AwayFrom = null,
    DateOnly? AwayUntil = null);
