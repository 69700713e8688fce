using Marketplace.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Orders.Disputes;

/// <summary>A dispute as the admins see it: which order, how much, why, and until when she can answer in Stripe's dashboard.</summary>
public sealed record DisputeResponse(
    string Id, Guid OrderId, string PickupCode, DateTimeOffset OrderPlacedAt, long OrderTotalRupiah, long AmountRupiah, long FeeRupiah, string Reason, string Status,
    bool Open, DateTimeOffset DueBy, DateTimeOffset OpenedAt, DateTimeOffset? ClosedAt);

public static class DisputesApi
{
    public static RouteGroupBuilder MapDisputesApi(this RouteGroupBuilder api)
    {
        api.MapGet("/cooperatives/{cooperativeId:guid}/disputes", ListAsync)
            .RequireAdminOfRouteCooperative()
            .WithTags("Disputes")
            .WithName("CooperativeDisputes")
            .WithSummary("The cooperative's card payment disputes: the open ones first, nearest deadline first, then the 50 last decided. "
                + "They are answered in Stripe's dashboard; the marketplace submits no evidence.");
        return api;
    }

    private static async Task<Ok<List<DisputeResponse>>> ListAsync(Guid cooperativeId, OrdersDbContext db, CancellationToken cancellationToken)
    {
        var disputes = db.OrderDisputes.AsNoTracking().Where(d => d.CooperativeId == cooperativeId);
        var open = await WithOrders(db, disputes.Where(d => d.ClosedAt == null).OrderBy(d => d.DueBy).Take(200)).ToListAsync(cancellationToken);
        var decided = await WithOrders(db, disputes.Where(d => d.ClosedAt != null).OrderByDescending(d => d.ClosedAt).Take(50)).ToListAsync(cancellationToken);
        return TypedResults.Ok(open.OrderBy(x => x.Dispute.DueBy).Concat(decided.OrderByDescending(x => x.Dispute.ClosedAt)).Select(x => new DisputeResponse(
            x.Dispute.Id, x.Dispute.OrderId, x.PickupCode, x.PlacedAt, x.TotalRupiah, x.Dispute.AmountRupiah, x.Dispute.FeeRupiah, x.Dispute.Reason, x.Dispute.Status,
            x.Dispute.Open, x.Dispute.DueBy, x.Dispute.OpenedAt, x.Dispute.ClosedAt)).ToList());
    }

    private static IQueryable<DisputeRow> WithOrders(OrdersDbContext db, IQueryable<OrderDispute> disputes) =>
        from dispute in disputes
        join order in db.Orders.AsNoTracking() on dispute.OrderId equals order.Id
        select new DisputeRow(dispute, order.PickupCode, order.PlacedAt, order.TotalRupiah);

    private sealed record DisputeRow(OrderDispute Dispute, string PickupCode, DateTimeOffset PlacedAt, long TotalRupiah);
}
