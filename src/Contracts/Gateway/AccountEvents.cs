namespace Marketplace.Contracts.Gateway;

/// <summary>
/// How to reach an account and what it is, after any change (registration, joining a cooperative, becoming one's
/// admin): Notifications addresses members and admins from this. <see cref="WhatsApp"/> is E.164.
/// </summary>
public sealed record AccountContactChanged(
    Guid UserId,
    string DisplayName,
    string? Email,
    string? WhatsApp,
    Guid? MemberId,
    Guid? MemberCooperativeId,
    IReadOnlyList<Guid> AdministeredCooperatives,
    DateTimeOffset ChangedAt);

/// <summary>
/// Someone asked to reset an account's password: the link is sent to the account's email, or by WhatsApp when it has
/// only a phone number. <see cref="Language"/> is the language of the page she asked from (<c>id</c> or <c>en</c>).
/// </summary>
public sealed record PasswordResetRequested(
    Guid UserId, string DisplayName, string? Email, string? WhatsApp, string Language, Uri ResetLink, DateTimeOffset ExpiresAt, DateTimeOffset RequestedAt);

/// <summary>
/// An admin invited someone to her cooperative and gave a phone number or an email address to send the code to.
/// <see cref="Kind"/> is <c>member</c> or <c>admin</c>.
/// </summary>
public sealed record InvitationSent(
    Guid InvitationId, Guid CooperativeId, string Kind, string? InviteeName, string? Email, string? WhatsApp, string Language, string Code,
    Uri AcceptLink, DateTimeOffset ExpiresAt, DateTimeOffset SentAt);
