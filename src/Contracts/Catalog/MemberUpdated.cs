namespace Marketplace.Contracts.Catalog;

/// <summary>A member's public identity and standing after any change; a suspended member sells nothing.</summary>
public sealed record MemberUpdated(
    Guid MemberId,
    Guid CooperativeId,
    string DisplayName,
    string BusinessName,
    string Status,
    long Revision,
    DateTimeOffset UpdatedAt);
