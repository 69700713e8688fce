namespace Marketplace.Contracts.Catalog;

/// <summary>A member submitted a product, or an edit of a published one, for her cooperative's admins to review.</summary>
public sealed record ProductSubmittedForReview(Guid ProductId, Guid CooperativeId, Guid MemberId, string Name, DateTimeOffset SubmittedAt);

/// <summary>An admin approved a submitted product (now on sale) or a published product's edit.</summary>
public sealed record ProductApproved(Guid ProductId, Guid CooperativeId, Guid MemberId, string Name, DateTimeOffset ApprovedAt);

/// <summary>An admin rejected a submitted product or edit, with the reason the member reads.</summary>
public sealed record ProductRejected(Guid ProductId, Guid CooperativeId, Guid MemberId, string Name, string Reason, DateTimeOffset RejectedAt);

/// <summary>
/// A product's permit runs out: <see cref="DaysLeft"/> is 90, 30 or 0 (expires today), each sent once per permit and
/// date. <see cref="Permit"/> is <c>pirt</c> or <c>halal</c>.
/// </summary>
public sealed record PermitExpiring(
    Guid ProductId, Guid CooperativeId, Guid MemberId, string ProductName, string Permit, string Number, DateOnly ValidUntil, int DaysLeft);
