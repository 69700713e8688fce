using Marketplace.Catalog.Images;

namespace Marketplace.Catalog.Reviews;

/// <summary>Approved reviews' average (two decimals) and how many; null wherever there is none.</summary>
public sealed record RatingResponse(decimal Average, int Count)
{
    public static RatingResponse? Of(decimal? average, int count) => average is { } a && count > 0 ? new RatingResponse(a, count) : null;
}

/// <summary>A review as shoppers see it on a product's page, with the maker's reply.</summary>
public sealed record ReviewResponse(
    Guid Id, int Rating, string Text, string ReviewerName, DateTimeOffset WrittenAt, string? PhotoUrl, string? PhotoUrlLarge, string? Reply, DateTimeOffset? RepliedAt);

/// <summary>A product's approved reviews, newest first, a page at a time (<see cref="More"/>: there are older ones).</summary>
public sealed record ReviewPage(RatingResponse? Rating, IReadOnlyList<ReviewResponse> Items, int Page, bool More);

/// <summary>
/// One line of her order as its buyer sees it: whether she may still review it, or what became of her review (the
/// rejection's reason is told to her only).
/// </summary>
public sealed record OrderLineReviewResponse(
    Guid OrderLineId, Guid ProductId, string ProductName, ReviewStatus Status, int? Rating, string? Text, string? PhotoUrl, bool PhotoProcessing,
    string? RejectionReason, string? Reply);

/// <summary>A review as the cooperative's admins and the maker see it.</summary>
public sealed record ManagedReviewResponse(
    Guid Id, Guid ProductId, string ProductName, Guid MemberId, ReviewStatus Status, int Rating, string Text, string ReviewerName, DateTimeOffset WrittenAt,
    string? PhotoUrl, string? PhotoUrlLarge, bool PhotoProcessing, string? RejectionReason, string? Reply, DateTimeOffset? RepliedAt);

public sealed record WriteReviewRequest(int? Rating, string? Text);

public sealed record RejectReviewRequest(string? Reason);

public sealed record ReplyRequest(string? Text);

internal static class ReviewMapping
{
    public static string? Url(string? hash) => hash is null ? null : ImageUrls.Rendition(hash, "webp");

    public static ReviewResponse ToPublic(ProductReview r) =>
        new(r.Id, r.Rating ?? 0, r.Text ?? string.Empty, r.ReviewerName, r.WrittenAt ?? r.InvitedAt, Url(r.PhotoSmall), Url(r.PhotoLarge), r.Reply, r.RepliedAt);

    public static OrderLineReviewResponse ToBuyer(ProductReview r) =>
        new(r.Id, r.ProductId, r.ProductName, r.Status, r.Rating, r.Text, Url(r.PhotoSmall), r.PhotoProcessing, r.RejectionReason, r.Reply);

    public static ManagedReviewResponse ToManaged(ProductReview r) =>
        new(r.Id, r.ProductId, r.ProductName, r.MemberId, r.Status, r.Rating ?? 0, r.Text ?? string.Empty, r.ReviewerName, r.WrittenAt ?? r.InvitedAt,
            Url(r.PhotoSmall), Url(r.PhotoLarge), r.PhotoProcessing, r.RejectionReason, r.Reply, r.RepliedAt);
}
