namespace Marketplace.Web.Api;

// Catalog's reviews: a product's approved ones, a buyer's lines, the admins' queue, the maker's list.

/// <summary>Approved reviews' average and count; absent where there is none.</summary>
public sealed record Rating(decimal Average, int Count);

public enum ReviewStatus
{
    Invited,
    Pending,
    Approved,
    Rejected,
}

public sealed record Review(
    Guid Id, int Rating, string Text, string ReviewerName, DateTimeOffset WrittenAt, string? PhotoUrl, string? PhotoUrlLarge, string? Reply, DateTimeOffset? RepliedAt);

public sealed record ReviewPage(Rating? Rating, IReadOnlyList<Review> Items, int Page, bool More);

public sealed record OrderLineReview(
    Guid OrderLineId, Guid ProductId, string ProductName, ReviewStatus Status, int? Rating, string? Text, string? PhotoUrl, bool PhotoProcessing,
    string? RejectionReason, string? Reply);

public sealed record ManagedReview(
    Guid Id, Guid ProductId, string ProductName, Guid MemberId, ReviewStatus Status, int Rating, string Text, string ReviewerName, DateTimeOffset WrittenAt,
    string? PhotoUrl, string? PhotoUrlLarge, bool PhotoProcessing, string? RejectionReason, string? Reply, DateTimeOffset? RepliedAt);
