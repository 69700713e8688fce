namespace Marketplace.Contracts.Gateway;

/// <summary>
/// Someone accepted a cooperative's invitation and registered: she is now a member of that cooperative,
/// with <see cref="MemberId"/> as the member id her tokens carry.
/// </summary>
public sealed record MemberJoined(
    Guid MemberId,
    Guid UserId,
    Guid CooperativeId,
    string DisplayName,
    string? WhatsApp,
    DateTimeOffset JoinedAt);
