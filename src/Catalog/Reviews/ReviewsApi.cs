using Marketplace.Catalog.Common;
using Marketplace.Catalog.Data;
using Marketplace.Catalog.Images;
using Marketplace.ServiceDefaults.Audit;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Catalog.Reviews;

/// <summary>
/// Reviews from buyers only: the buyer of a handed-over or delivered line writes one (1-5 stars, a text, a photo);
/// the cooperative's admins approve or reject it; the maker answers once; the product's page shows the approved ones.
/// </summary>
public static class ReviewsApi
{
    public const int PageSize = 10;

    public static RouteGroupBuilder MapReviewsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/products/{productId:guid}/reviews", ProductReviewsAsync)
            .WithTags("Reviews").WithName("ProductReviews")
            .WithSummary("A product's approved reviews, newest first, 10 a page (?page=), with its rating.");

        api.MapGet("/reviews/orders/{orderId:guid}", OrderReviewsAsync)
            .WithTags("Reviews").WithName("MyOrderReviews")
            .WithSummary("For the order's buyer (her account, or the guest cookie she ordered with): each handed-over line and its review; nothing for anyone else.");
        api.MapPost("/reviews/lines/{orderLineId:guid}", WriteAsync)
            .WithTags("Reviews").WithName("WriteReview")
            .WithSummary("The buyer rates a handed-over or delivered line 1-5 with a text, once; it waits for the cooperative's approval.");
        api.MapPut("/reviews/lines/{orderLineId:guid}/photo", UploadPhotoAsync)
            .WithTags("Reviews").WithName("UploadReviewPhoto")
            .WithSummary("One photo with a review waiting for approval (JPEG, PNG or WebP, checked and processed like product photos).");

        api.MapGet("/cooperatives/{cooperativeId:guid}/reviews", CooperativeReviewsAsync)
            .RequireAdminOfRouteCooperative(hideFromOthers: true)
            .WithTags("Reviews").WithName("CooperativeReviews")
            .WithSummary("The cooperative's reviews waiting for approval (?status=pending, the default) or approved, oldest waiting first.");
        api.MapPost("/reviews/{id:guid}/approve", ApproveAsync)
            .RequireAuthorization(MarketplacePolicies.CooperativeAdmin)
            .WithTags("Reviews").WithName("ApproveReview");
        api.MapPost("/reviews/{id:guid}/reject", RejectAsync)
            .RequireAuthorization(MarketplacePolicies.CooperativeAdmin)
            .WithTags("Reviews").WithName("RejectReview")
            .WithSummary("Rejects a waiting review, or takes down an approved one, with a reason told to its writer only.");

        api.MapGet("/members/me/reviews", MyReviewsAsync)
            .RequireAuthorization(MarketplacePolicies.Member)
            .WithTags("Reviews").WithName("MyProductsReviews")
            .WithSummary("The approved reviews of the member's products, newest first, for her to answer.");
        api.MapPost("/reviews/{id:guid}/reply", ReplyAsync)
            .RequireAuthorization(MarketplacePolicies.Member)
            .WithTags("Reviews").WithName("ReplyToReview")
            .WithSummary("The maker answers an approved review of her product, once, publicly.");
        return api;
    }

    public static async Task<Ok<ReviewPage>> ProductReviewsAsync(Guid productId, CatalogDbContext db, CancellationToken cancellationToken, int page = 1)
    {
        if (page is < 1 or > 200)
        {
            throw new DomainException("page is 1 to 200.", "invalid_page");
        }

        var rating = await db.Products.AsNoTracking().Where(p => p.Id == productId && p.OnSale)
            .Select(p => new { p.RatingAverage, p.RatingCount }).FirstOrDefaultAsync(cancellationToken);
        if (rating is null)
        {
            return TypedResults.Ok(new ReviewPage(null, [], page, false));
        }

        var items = await db.Reviews.AsNoTracking()
            .Where(r => r.ProductId == productId && r.Status == ReviewStatus.Approved)
            .OrderByDescending(r => r.WrittenAt).ThenByDescending(r => r.Id)
            .Skip((page - 1) * PageSize).Take(PageSize + 1)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new ReviewPage(
            RatingResponse.Of(rating.RatingAverage, rating.RatingCount),
            items.Take(PageSize).Select(ReviewMapping.ToPublic).ToList(),
            page,
            items.Count > PageSize));
    }

    public static async Task<Ok<List<OrderLineReviewResponse>>> OrderReviewsAsync(Guid orderId, HttpContext http, CatalogDbContext db, CancellationToken cancellationToken)
    {
        var keys = BuyerKeys.OfCaller(http);
        if (keys.Count == 0)
        {
            return TypedResults.Ok(new List<OrderLineReviewResponse>());
        }

        var reviews = await db.Reviews.AsNoTracking()
            .Where(r => r.OrderId == orderId && keys.Contains(r.BuyerKey))
            .OrderBy(r => r.ProductName).ThenBy(r => r.Id)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(reviews.Select(ReviewMapping.ToBuyer).ToList());
    }

    public static async Task<Ok<OrderLineReviewResponse>> WriteAsync(
        Guid orderLineId, WriteReviewRequest request, HttpContext http, CatalogDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var review = await BuyersAsync(orderLineId, http, db, cancellationToken);
        review.Write(request.Rating ?? 0, request.Text ?? string.Empty, clock.GetUtcNow());
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // The same form sent twice at once: the other one wrote it.
            throw new ConflictException("This line has been reviewed already; a line is reviewed once.", "already_reviewed");
        }

        return TypedResults.Ok(ReviewMapping.ToBuyer(review));
    }

    public static async Task<Accepted> UploadPhotoAsync(
        Guid orderLineId, HttpContext http, CatalogDbContext db, ImageUploadSignal signal, TimeProvider clock, CancellationToken cancellationToken)
    {
        var review = await BuyersAsync(orderLineId, http, db, cancellationToken);
        review.AcceptPhoto();
        // Checked by its first bytes and its header before any pixel is decoded, then processed like a product photo.
        await ImagesApi.QueueUploadAsync(http, db, ImageUploadKind.ReviewPhoto, review.Id, signal, clock, cancellationToken);
        return TypedResults.Accepted($"/api/catalog/reviews/orders/{review.OrderId}");
    }

    public static async Task<Ok<List<ManagedReviewResponse>>> CooperativeReviewsAsync(
        Guid cooperativeId, CatalogDbContext db, CancellationToken cancellationToken, string? status = null)
    {
        var only = status?.Trim().ToLowerInvariant() switch
        {
            null or "" or "pending" => ReviewStatus.Pending,
            "approved" => ReviewStatus.Approved,
            _ => throw new DomainException("status is pending or approved.", "invalid_status"),
        };
        var query = db.Reviews.AsNoTracking().Where(r => r.CooperativeId == cooperativeId && r.Status == only);
        query = only == ReviewStatus.Pending
            ? query.OrderBy(r => r.WrittenAt).ThenBy(r => r.Id)
            : query.OrderByDescending(r => r.ModeratedAt).ThenBy(r => r.Id);
        var reviews = await query.Take(100).ToListAsync(cancellationToken);
        return TypedResults.Ok(reviews.Select(ReviewMapping.ToManaged).ToList());
    }

    public static Task<Results<Ok<ManagedReviewResponse>, NotFound>> ApproveAsync(
        Guid id, HttpContext http, CatalogDbContext db, TimeProvider clock, AuditTrail audit, CancellationToken cancellationToken) =>
        ModerateAsync(id, http, db, audit, "review.approved", null, (r, now) => r.Approve(now), clock, cancellationToken);

    public static Task<Results<Ok<ManagedReviewResponse>, NotFound>> RejectAsync(
        Guid id, RejectReviewRequest request, HttpContext http, CatalogDbContext db, TimeProvider clock, AuditTrail audit, CancellationToken cancellationToken) =>
        ModerateAsync(id, http, db, audit, "review.rejected", request.Reason?.Trim(), (r, now) => r.Reject(request.Reason, now), clock, cancellationToken);

    public static async Task<Ok<List<ManagedReviewResponse>>> MyReviewsAsync(HttpContext http, CatalogDbContext db, CancellationToken cancellationToken)
    {
        var memberId = http.User.MemberId();
        var reviews = await db.Reviews.AsNoTracking()
            .Where(r => r.MemberId == memberId && r.Status == ReviewStatus.Approved)
            .OrderByDescending(r => r.WrittenAt).ThenBy(r => r.Id)
            .Take(100)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(reviews.Select(ReviewMapping.ToManaged).ToList());
    }

    public static async Task<Results<Ok<ManagedReviewResponse>, NotFound>> ReplyAsync(
        Guid id, ReplyRequest request, HttpContext http, CatalogDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var review = await db.Reviews.FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (review is null || !http.User.IsMember(review.MemberId))
        {
            return TypedResults.NotFound();
        }

        review.AnswerWith(request.Text, clock.GetUtcNow());
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new ConflictException("This review has been answered already; a review is answered once.", "already_replied");
        }

        return TypedResults.Ok(ReviewMapping.ToManaged(review));
    }

    /// <summary>
    /// The line's review row for its buyer. A line that is not hers, does not exist, or has not reached her yet is
    /// refused alike (404, <c>not_reviewable</c>): nobody learns of another's order.
    /// </summary>
    private static async Task<ProductReview> BuyersAsync(Guid orderLineId, HttpContext http, CatalogDbContext db, CancellationToken cancellationToken)
    {
        var keys = BuyerKeys.OfCaller(http);
        var review = keys.Count == 0 ? null : await db.Reviews.FirstOrDefaultAsync(r => r.Id == orderLineId && keys.Contains(r.BuyerKey), cancellationToken);
        return review ?? throw new NotFoundException(
            "Only the buyer of a line that was handed over or delivered to her can review it.", "not_reviewable");
    }

    private static async Task<Results<Ok<ManagedReviewResponse>, NotFound>> ModerateAsync(
        Guid id,
        HttpContext http,
        CatalogDbContext db,
        AuditTrail audit,
        string action,
        string? reason,
        Action<ProductReview, DateTimeOffset> change,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var found = await db.Reviews.AsNoTracking().Where(r => r.Id == id).Select(r => new { r.CooperativeId, r.ProductId }).FirstOrDefaultAsync(cancellationToken);
        if (found is null || !http.User.IsAdminOf(found.CooperativeId))
        {
            return TypedResults.NotFound();
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Moderations of one product's reviews take turns, so each recount sees the others' outcome.
        await ProductRatings.LockAsync(db, found.ProductId, cancellationToken);
        var review = await db.Reviews.FirstAsync(r => r.Id == id, cancellationToken);
        var before = Audited(review);
        change(review, clock.GetUtcNow());
        audit.Record(db, action, review.CooperativeId, "review", review.Id, before, Audited(review), reason);
        await db.SaveChangesAsync(cancellationToken);
        await ProductRatings.RecountAsync(db, review.ProductId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(ReviewMapping.ToManaged(review));
    }

    /// <summary>What the audit trail shows of a moderation: which product, the stars, where the review stands.</summary>
    private static object Audited(ProductReview review) => new { product = review.ProductName, review.Rating, review.Status };
}
