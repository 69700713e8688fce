using Marketplace.Catalog.Images;
using Marketplace.Contracts.Catalog;
using Marketplace.ServiceDefaults.Messaging;

namespace Marketplace.Catalog.Products;

/// <summary>
/// Tells Orders what is on sale, through the outbox, in order per product: published when a product goes on
/// sale, changed while it stays on sale, withdrawn when it leaves.
/// </summary>
public sealed class ProductEvents(IOutbox outbox)
{
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
