using Marketplace.Catalog.Images;
using Marketplace.Contracts.Catalog;
using Marketplace.ServiceDefaults.Messaging;

namespace Marketplace.Catalog.Products;

/// <summary>
/// Tells Orders what is on sale, through the outbox, in order per product: published when a product goes on
/// sale, changed while it stays on sale, withdrawn when it leaves. Tells the review's people (the cooperative's
/// admins, the member) when a product or an edit starts waiting for review and how the review ended.
/// </summary>
public sealed class ProductEvents(IOutbox outbox)
{
    /// <summary>
    /// Once per step of a review, judged by the states before and after the change: a product or edit that starts
    /// waiting (an edit to one already waiting is not a new submission), then approved or rejected. Leaving review any
    /// other way (archived, or edited back to a draft) tells nobody.
    /// </summary>
    public void PublishReviewChange(Product product, bool wasAwaitingReview, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(product);
        var key = product.Id.ToString();
        var name = product.ListingUnderReview.NameId;
        if (!wasAwaitingReview && product.AwaitingReview)
        {
            outbox.Publish(new ProductSubmittedForReview(product.Id, product.CooperativeId, product.MemberId, name, now), key);
        }
        else if (wasAwaitingReview && !product.AwaitingReview)
        {
            var reason = product.Status == ProductStatus.Rejected ? product.RejectionReason
                : product.RevisionStatus == RevisionStatus.Rejected ? product.RevisionRejectionReason
                : null;
            if (reason is not null)
            {
                outbox.Publish(new ProductRejected(product.Id, product.CooperativeId, product.MemberId, name, reason, now), key);
            }
            else if (product.Status == ProductStatus.Published)
            {
                outbox.Publish(new ProductApproved(product.Id, product.CooperativeId, product.MemberId, name, now), key);
            }
        }
    }

    public void PublishSaleChange(Product product, bool wasOnSale, DateTimeOffset now, string reason)
    {
        ArgumentNullException.ThrowIfNull(product);
        var key = product.Id.ToString();
        if (!wasOnSale && product.OnSale)
        {
            outbox.Publish(new ProductPublished(Snapshot(product), now), key);
        }
        else if (wasOnSale && !product.OnSale)
        {
            outbox.Publish(new ProductWithdrawn(product.Id, product.CooperativeId, product.Revision, reason, now), key);
        }
        else if (product.OnSale)
        {
            outbox.Publish(new ProductChanged(Snapshot(product), now), key);
        }
    }

    private static ProductSnapshot Snapshot(Product product)
    {
        var cover = product.Images.Where(i => i.Status == ImageStatus.Ready).OrderBy(i => i.Position).FirstOrDefault();
        return product.ToSnapshot(cover is null ? null : ImageUrls.Cover(cover));
    }
}
