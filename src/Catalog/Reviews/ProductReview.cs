using Marketplace.ServiceDefaults.Errors;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Catalog.Reviews;

public enum ReviewStatus
{
    /// <summary>The line reached its buyer; she has not written yet.</summary>
    Invited,

    /// <summary>Written, waiting for an admin of the cooperative.</summary>
    Pending,

    /// <summary>Shown on the product's page and counted in its rating.</summary>
    Approved,

    /// <summary>Not shown; the reason is told to the reviewer on her order's page only.</summary>
    Rejected,
}

/// <summary>
/// One order line's review. The row exists from the moment the line reached its buyer (an invitation), so "one
/// review per line" is its primary key, and only the buyer who holds <see cref="BuyerKey"/> can fill it in.
/// </summary>
public sealed class ProductReview
{
    public const int MaxTextLength = 2000;
    public const int MaxReasonLength = 1000;
    public const int MaxReplyLength = 1000;

    private ProductReview()
    {
    }

    /// <summary>The order line's id: one review per line.</summary>
    public Guid Id { get; private set; }

    public Guid OrderId { get; private set; }

    public Guid CooperativeId { get; private set; }

    public Guid ProductId { get; private set; }

    public Guid MemberId { get; private set; }

    /// <summary>A hash of the order's owner (<c>BuyerKeys</c>): her account or her guest cookie.</summary>
    public string BuyerKey { get; private set; } = string.Empty;

    /// <summary>The name shown with the review: the first word of the name she gave at checkout.</summary>
    public string ReviewerName { get; private set; } = string.Empty;

    /// <summary>The product's name as sold, for her order page and the moderation list.</summary>
    public string ProductName { get; private set; } = string.Empty;

    public ReviewStatus Status { get; private set; }

    public int? Rating { get; private set; }

    public string? Text { get; private set; }

    /// <summary>The photo's renditions by name (<c>320.webp</c> to its hash), once processed; none without a photo.</summary>
    public string? PhotoSmall { get; private set; }

    public string? PhotoLarge { get; private set; }

    /// <summary>A photo was uploaded and is being processed.</summary>
    public bool PhotoProcessing { get; private set; }

    public string? RejectionReason { get; private set; }

    public string? Reply { get; private set; }

    public DateTimeOffset? RepliedAt { get; private set; }

    public DateTimeOffset InvitedAt { get; private set; }

    public DateTimeOffset? WrittenAt { get; private set; }

    public DateTimeOffset? ModeratedAt { get; private set; }

    public static ProductReview Invite(Guid orderLineId, Guid orderId, Guid cooperativeId, Guid productId, Guid memberId, string buyerKey, string buyerName, string productName, DateTimeOffset at) => new()
    {
        Id = orderLineId,
        OrderId = orderId,
        CooperativeId = cooperativeId,
        ProductId = productId,
        MemberId = memberId,
        BuyerKey = buyerKey,
        ReviewerName = FirstName(buyerName),
        ProductName = productName.Length > 120 ? productName[..120] : productName,
        Status = ReviewStatus.Invited,
        InvitedAt = at,
    };

    public void Write(int rating, string text, DateTimeOffset now)
    {
        if (Status != ReviewStatus.Invited)
        {
            throw new ConflictException("This line has been reviewed already; a line is reviewed once.", "already_reviewed");
        }

        var errors = new List<FieldError>();
        if (rating is < 1 or > 5)
        {
            errors.Add(new FieldError("rating", "rating_out_of_range", "Give 1 to 5 stars."));
        }

        var trimmed = text?.Trim() ?? string.Empty;
        if (trimmed.Length == 0)
        {
            errors.Add(new FieldError("text", "review_text_required", "Say a few words about the product."));
        }
        else if (trimmed.Length > MaxTextLength)
        {
            errors.Add(new FieldError("text", "review_text_too_long", $"At most {MaxTextLength} characters."));
        }

        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        Rating = rating;
        Text = trimmed;
        Status = ReviewStatus.Pending;
        WrittenAt = now;
    }

    /// <summary>A photo may be added while the review waits for moderation: what an admin approves is what is shown.</summary>
    public void AcceptPhoto()
    {
        if (Status != ReviewStatus.Pending)
        {
            throw new ConflictException("A photo can be added only to a review waiting for approval.", "review_not_pending");
        }

        PhotoProcessing = true;
    }

    public void PhotoProcessed(string? small, string? large)
    {
        PhotoSmall = small;
        PhotoLarge = large;
        PhotoProcessing = false;
    }

    public void Approve(DateTimeOffset now)
    {
        if (Status != ReviewStatus.Pending)
        {
            throw new ConflictException($"A review that is {Status} cannot be approved.", "illegal_transition");
        }

        Status = ReviewStatus.Approved;
        RejectionReason = null;
        ModeratedAt = now;
    }

    /// <summary>Rejects a waiting review, or takes down an approved one (its rating no longer counts).</summary>
    public void Reject(string? reason, DateTimeOffset now)
    {
        var trimmed = reason?.Trim() ?? string.Empty;
        if (trimmed.Length == 0)
        {
            throw new ValidationFailedException([new FieldError("reason", "review_reason_required", "Say why the review is not shown.")]);
        }

        if (trimmed.Length > MaxReasonLength)
        {
            throw new ValidationFailedException([new FieldError("reason", "review_reason_too_long", $"At most {MaxReasonLength} characters.")]);
        }

        if (Status is not (ReviewStatus.Pending or ReviewStatus.Approved))
        {
            throw new ConflictException($"A review that is {Status} cannot be rejected.", "illegal_transition");
        }

        Status = ReviewStatus.Rejected;
        RejectionReason = trimmed;
        ModeratedAt = now;
    }

    /// <summary>The maker answers once, in public, an approved review.</summary>
    public void AnswerWith(string? reply, DateTimeOffset now)
    {
        if (Status != ReviewStatus.Approved)
        {
            throw new ConflictException("Only a review shown on the product's page can be answered.", "review_not_approved");
        }

        if (Reply is not null)
        {
            throw new ConflictException("This review has been answered already; a review is answered once.", "already_replied");
        }

        var trimmed = reply?.Trim() ?? string.Empty;
        if (trimmed.Length == 0)
        {
            throw new ValidationFailedException([new FieldError("text", "reply_required", "Write the reply.")]);
        }

        if (trimmed.Length > MaxReplyLength)
        {
            throw new ValidationFailedException([new FieldError("text", "reply_too_long", $"At most {MaxReplyLength} characters.")]);
        }

        Reply = trimmed;
        RepliedAt = now;
    }

    private static string FirstName(string name)
    {
        var first = name.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? string.Empty;
        return first.Length > 40 ? first[..40] : first;
    }
}

internal sealed class ProductReviewConfiguration : IEntityTypeConfiguration<ProductReview>
{
    public void Configure(EntityTypeBuilder<ProductReview> builder)
    {
        builder.ToTable("product_reviews", t => t.HasCheckConstraint("ck_product_reviews_rating", "rating IS NULL OR rating BETWEEN 1 AND 5"));
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).ValueGeneratedNever();
        // Two forms sent at once: the second finds the row moved on (written, answered) and is refused, not applied.
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(20).IsConcurrencyToken();
        builder.Property(r => r.RepliedAt).IsConcurrencyToken();
        builder.Property(r => r.BuyerKey).HasMaxLength(64);
        builder.Property(r => r.ReviewerName).HasMaxLength(40);
        builder.Property(r => r.ProductName).HasMaxLength(120);
        builder.Property(r => r.Text).HasMaxLength(ProductReview.MaxTextLength);
        builder.Property(r => r.RejectionReason).HasMaxLength(ProductReview.MaxReasonLength);
        builder.Property(r => r.Reply).HasMaxLength(ProductReview.MaxReplyLength);
        builder.Property(r => r.PhotoSmall).HasMaxLength(64);
        builder.Property(r => r.PhotoLarge).HasMaxLength(64);
        builder.HasOne<Products.Product>().WithMany().HasForeignKey(r => r.ProductId).OnDelete(DeleteBehavior.Restrict);
        // A product's page: its approved reviews, newest first; the rating's sums.
        builder.HasIndex(r => new { r.ProductId, r.Status, r.WrittenAt });
        // The maker's portal and her rating.
        builder.HasIndex(r => new { r.MemberId, r.Status });
        // The admins' queue.
        builder.HasIndex(r => new { r.CooperativeId, r.Status, r.WrittenAt });
        // Her order's page.
        builder.HasIndex(r => new { r.OrderId, r.BuyerKey });
        builder.HasIndex(r => r.BuyerKey);
    }
}
