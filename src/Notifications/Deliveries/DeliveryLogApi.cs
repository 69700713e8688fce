using System.Security.Claims;
using Marketplace.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Notifications.Deliveries;

/// <summary>One message as the cooperative's admin sees it: to whom (the number partly hidden), which, and how far it got.</summary>
public sealed record DeliveryResponse(
    Guid Id, string Recipient, string Template, string Language, DeliveryChannel Channel, string Address, NotificationStatus Status, int Attempts,
    string? LastError, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>The cooperative's delivery log, newest first, and sending a failed message again.</summary>
public static class DeliveryLogApi
{
    public static RouteGroupBuilder MapDeliveryLogApi(this RouteGroupBuilder api)
    {
        api.MapGet("/cooperatives/{cooperativeId:guid}/deliveries", ListAsync)
            .RequireAdminOfRouteCooperative()
            .WithTags("Deliveries")
            .WithName("DeliveryLog")
            .WithSummary("The cooperative's messages, newest first (100 at a time; ?status=failed for the ones to look at).");
        api.MapPost("/deliveries/{id:guid}/resend", ResendAsync)
            .RequireAuthorization(MarketplacePolicies.CooperativeAdmin)
            .WithTags("Deliveries")
            .WithName("ResendDelivery")
            .WithSummary("Sends a failed message again, with a fresh round of attempts.");
        return api;
    }

    private static async Task<Ok<List<DeliveryResponse>>> ListAsync(
        Guid cooperativeId, NotificationsDbContext db, CancellationToken cancellationToken, NotificationStatus? status = null)
    {
        var query = db.Notifications.AsNoTracking().Where(n => n.CooperativeId == cooperativeId);
        if (status is { } only)
        {
            query = query.Where(n => n.Status == only);
        }

        var rows = await query.OrderByDescending(n => n.CreatedAt).Take(100).ToListAsync(cancellationToken);
        return TypedResults.Ok(rows.Select(Describe).ToList());
    }

    private static async Task<Results<Ok<DeliveryResponse>, NotFound>> ResendAsync(
        Guid id, ClaimsPrincipal user, NotificationsDbContext db, DeliverySignal signal, TimeProvider clock, CancellationToken cancellationToken)
    {
        var notification = await db.Notifications.FirstOrDefaultAsync(n => n.Id == id, cancellationToken);
        // Another cooperative's message does not exist for this admin.
        if (notification is not { CooperativeId: { } cooperativeId } || !user.IsAdminOf(cooperativeId))
        {
            return TypedResults.NotFound();
        }

        notification.Resend(clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        signal.Pulse();
        return TypedResults.Ok(Describe(notification));
    }

    private static DeliveryResponse Describe(Notification n) => new(
        n.Id, n.Recipient, n.Template, n.Language, n.Channel, Addresses.Masked(n.Address)!, n.Status, n.Attempts, n.LastError, n.CreatedAt, n.UpdatedAt);
}
