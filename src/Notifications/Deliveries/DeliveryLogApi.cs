using System.Security.Claims;
using Marketplace.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Notifications.Deliveries;

/// <summary>
/// One message as the cooperative's admin sees it: to whom (the number partly hidden), which, and how far it got.
/// <see cref="Reason"/> is why it failed, as a <see cref="DeliveryFailure"/> kind a page puts in words;
/// <see cref="LastError"/> is the provider's own text, for whoever fixes the set-up. <see cref="Erased"/>: its secret
/// (a reset link, an invitation code) was erased once the provider took it, so it cannot be sent again.
/// </summary>
public sealed record DeliveryResponse(
    Guid Id, string Recipient, string Template, string Language, DeliveryChannel Channel, string Address, NotificationStatus Status, int Attempts,
    string? LastError, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string? Reason, bool Erased);

/// <summary>A page of the log, newest first; <see cref="Older"/> asks for the next (older) page, null on the last.</summary>
public sealed record DeliveryPage(IReadOnlyList<DeliveryResponse> Items, string? Older);

/// <summary>The cooperative's delivery log, newest first, and sending a failed message again.</summary>
public static class DeliveryLogApi
{
    public const int PageSize = 50;

    public static RouteGroupBuilder MapDeliveryLogApi(this RouteGroupBuilder api)
    {
        api.MapGet("/cooperatives/{cooperativeId:guid}/deliveries", ListAsync)
            .RequireAdminOfRouteCooperative()
            .WithTags("Deliveries")
            .WithName("DeliveryLog")
            .WithSummary("The cooperative's messages, newest first, 50 a page (?status=failed for the ones to look at; ?before= the previous page's older).");
        // Messages of no cooperative (a password reset) are seen by the platform's admin: no cooperative admin may read them.
        api.MapGet("/deliveries", (NotificationsDbContext db, CancellationToken cancellationToken, string? status, string? before) =>
                ListAsync(null, db, cancellationToken, status, before))
            .RequireAuthorization(MarketplacePolicies.PlatformAdmin)
            .WithTags("Deliveries")
            .WithName("PlatformDeliveryLog")
            .WithSummary("Messages of no cooperative (password resets), newest first, 50 a page (?status=failed; ?before= the previous page's older).");
        api.MapPost("/deliveries/{id:guid}/resend", ResendAsync)
            .RequireAuthorization(MarketplacePolicies.CooperativeAdmin)
            .WithTags("Deliveries")
            .WithName("ResendDelivery")
            .WithSummary("Sends a failed message again, with a fresh round of attempts.");
        return api;
    }

    /// <summary>
    /// Keyset paging on (created, id): a page stays right while new messages arrive on top, and a deep page costs what
    /// the first does.
    /// </summary>
    /// <param name="cooperativeId">Null: the messages of no cooperative.</param>
    private static async Task<Results<Ok<DeliveryPage>, ValidationProblem>> ListAsync(
        Guid? cooperativeId, NotificationsDbContext db, CancellationToken cancellationToken, string? status = null, string? before = null)
    {
        // Read by hand: the binder takes an enum's name only in its own casing, and links say "failed".
        NotificationStatus? only = null;
        if (status is not null)
        {
            if (!Enum.TryParse<NotificationStatus>(status, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["status"] = ["Not a status of a message."] });
            }

            only = parsed;
        }

        var query = db.Notifications.AsNoTracking().Where(n => n.CooperativeId == cooperativeId);
        if (before is not null)
        {
            if (!DeliveryLogCursor.TryRead(before, out var createdAt, out var id))
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["before"] = ["Not a page of this log."] });
            }

            query = db.Notifications
                .FromSql($"SELECT * FROM notifications.notifications WHERE (created_at, id) < ({createdAt}, {id})")
                .AsNoTracking()
                .Where(n => n.CooperativeId == cooperativeId);
        }

        if (only is { } wanted)
        {
            query = query.Where(n => n.Status == wanted);
        }

        var rows = await query.OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id).Take(PageSize + 1).ToListAsync(cancellationToken);
        var page = rows.Take(PageSize).ToList();
        var older = rows.Count > PageSize ? DeliveryLogCursor.Write(page[^1].CreatedAt, page[^1].Id) : null;
        return TypedResults.Ok(new DeliveryPage(page.Select(Describe).ToList(), older));
    }

    private static async Task<Results<Ok<DeliveryResponse>, NotFound>> ResendAsync(
        Guid id, ClaimsPrincipal user, NotificationsDbContext db, DeliverySignal signal, TimeProvider clock, CancellationToken cancellationToken)
    {
        var notification = await db.Notifications.FirstOrDefaultAsync(n => n.Id == id, cancellationToken);
        // Another cooperative's message does not exist for this admin; one of no cooperative, for any but the platform's.
        if (notification is null
            || (notification.CooperativeId is { } cooperativeId ? !user.IsAdminOf(cooperativeId) : !user.IsInRole(MarketplaceRoles.PlatformAdmin)))
        {
            return TypedResults.NotFound();
        }

        notification.Resend(clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        signal.Pulse();
        return TypedResults.Ok(Describe(notification));
    }

    private static DeliveryResponse Describe(Notification n) => new(
        n.Id, n.Recipient, n.Template, n.Language, n.Channel, Addresses.Masked(n.Address)!, n.Status, n.Attempts, n.LastError, n.CreatedAt, n.UpdatedAt,
        n.Status == NotificationStatus.Failed ? DeliveryFailure.Of(n.LastError) : null, n.Erased);
}

/// <summary>Where a page ends: the last message's created time (microseconds, as PostgreSQL keeps it) and id.</summary>
internal static class DeliveryLogCursor
{
    public static string Write(DateTimeOffset createdAt, Guid id) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{createdAt.UtcTicks / 10}_{id:N}");

    public static bool TryRead(string text, out DateTimeOffset createdAt, out Guid id)
    {
        createdAt = default;
        id = default;
        var parts = text.Split('_');
        if (parts.Length != 2
            || !long.TryParse(parts[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var micros)
            || micros > DateTimeOffset.MaxValue.UtcTicks / 10
            || !Guid.TryParseExact(parts[1], "N", out id))
        {
            return false;
        }

        createdAt = new DateTimeOffset(micros * 10, TimeSpan.Zero);
        return true;
    }
}
