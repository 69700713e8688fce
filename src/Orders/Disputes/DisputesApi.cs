using Marketplace.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Orders.Disputes;

/// <summary>A dispute as the admins see it: which order, how much, why, and until when she can answer in Stripe's dashboard.</summary>
public sealed record DisputeResponse(
    string Id, Guid OrderId, DateTimeOffset OrderPlacedAt, long OrderTotalRupiah, long AmountRupiah, long FeeRupiah, string Reason, string Status,
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
        var open = await Query(db, cooperativeId).Where(x => x.Dispute.ClosedAt == null).OrderBy(x => x.Dispute.DueBy).Take(200).ToListAsync(cancellationToken);
        var decided = await Query(db, cooperativeId).Where(x => x.Dispute.ClosedAt != null).OrderByDescending(x => x.Dispute.ClosedAt).Take(50).ToListAsync(cancellationToken);
        return TypedResults.Ok(open.Concat(decided).Select(x => new DisputeResponse(
            x.Dispute.Id, x.Dispute.OrderId, x.PlacedAt, x.TotalRupiah, x.Dispute.AmountRupiah, x.Dispute.FeeRupiah, x.Dispute.Reason, x.Dispute.Status,
            x.Dispute.Open, x.Dispute.DueBy, x.Dispute.OpenedAt, x.Dispute.ClosedAt)).ToList());
    }

    private static IQueryable<DisputeRow> Query(OrdersDbContext db, Guid cooperativeId) =>
        from dispute in db.OrderDisputes.AsNoTracking()
        join order in db.Orders.AsNoTracking() on dispute.OrderId equals order.Id
        where dispute.CooperativeId == cooperativeId
        select new DisputeRow(dispute, order.PlacedAt, order.TotalRupiah);

    private sealed record DisputeRow(OrderDispute Dispute, DateTimeOffset PlacedAt, long TotalRupiah);
}
