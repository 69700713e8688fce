using Marketplace.Catalog.Data;
using Marketplace.Contracts.Gateway;
using Marketplace.Contracts.Orders;
using Marketplace.ServiceDefaults.Identity;
using Marketplace.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Catalog.Reviews;

/// <summary>
/// Lines reached their buyer: each becomes a review she is invited to write (once; the inbox and the line's key). Named
/// apart from Notifications' consumer of the same event: a consumer's name is its queue's, and two services on one queue
/// would take turns with each message.
/// </summary>
public sealed class ReviewInvitationsConsumer(CatalogDbContext db) : IdempotentConsumer<OrderLinesReviewable, CatalogDbContext>(db)
{
    protected override async Task HandleAsync(OrderLinesReviewable message, ConsumeContext<OrderLinesReviewable> context, CancellationToken cancellationToken)
    {
        var ids = message.Lines.Select(l => l.OrderLineId).ToList();
        var known = await Db.Reviews.Where(r => ids.Contains(r.Id)).Select(r => r.Id).ToListAsync(cancellationToken);
        foreach (var line in message.Lines.Where(l => !known.Contains(l.OrderLineId)).DistinctBy(l => l.OrderLineId))
        {
            Db.Reviews.Add(ProductReview.Invite(
                line.OrderLineId, message.OrderId, message.CooperativeId, line.ProductId, line.MemberId, message.BuyerKey, message.BuyerName, line.Name, message.At));
        }
    }
}

/// <summary>
/// A guest signed in and Orders made her guest orders her account's: her invitations follow, so she can review from
/// any device she signs in on.
/// </summary>
public sealed class ReviewerSignedInConsumer(CatalogDbContext db) : IdempotentConsumer<ShopperSignedIn, CatalogDbContext>(db)
{
    protected override Task HandleAsync(ShopperSignedIn message, ConsumeContext<ShopperSignedIn> context, CancellationToken cancellationToken)
    {
        var guest = BuyerKeys.Of($"guest:{message.GuestId}");
        var user = BuyerKeys.Of($"user:{message.UserId}");
        return Db.Database.ExecuteSqlAsync($"UPDATE catalog.product_reviews SET buyer_key = {user} WHERE buyer_key = {guest}", cancellationToken);
    }
}
