using System.Security.Claims;
using System.Text.Json;
using Marketplace.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.ServiceDefaults.Audit;

/// <summary>
/// Writes what someone did into the audit trail of the context that saves the change, so the entry and the change
/// are one transaction: an action either happened and is recorded, or neither. Call it before <c>SaveChanges</c>.
/// </summary>
public sealed class AuditTrail(IHttpContextAccessor http, TimeProvider clock, AuditTrailOptions options)
{
    // Enums as their camelCase names ("cash", "pendingReview"), as every service answers: a number would mean nothing in a year.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>
    /// Adds an entry to <paramref name="db"/>'s trail. <paramref name="before"/> and <paramref name="after"/> are the
    /// fields that changed (an anonymous object or a record), written as JSON; null where the subject is new or gone.
    /// </summary>
    public void Record(DbContext db, string action, Guid? cooperativeId, string subjectType, object subjectId,
        object? before = null, object? after = null, string? reason = null) =>
        RecordAs(db, Actor(), action, cooperativeId, subjectType, subjectId, before, after, reason);

    /// <summary>As <see cref="Record"/>, for an action whose actor is not (yet) the signed-in caller: an invitee accepting as a new account.</summary>
    public void RecordAs(DbContext db, AuditActor actor, string action, Guid? cooperativeId, string subjectType, object subjectId,
        object? before = null, object? after = null, string? reason = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(subjectId);
        db.Set<AuditEntry>().Add(AuditEntry.Create(clock.GetUtcNow(), actor, cooperativeId, action, subjectType,
            Convert.ToString(subjectId, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty,
            before is null ? null : JsonSerializer.Serialize(before, Json),
            after is null ? null : JsonSerializer.Serialize(after, Json),
            string.IsNullOrWhiteSpace(reason) ? null : reason.Trim()));
    }

    /// <summary>An account acting from the current request's client.</summary>
    public AuditActor ActorFor(Guid accountId, string name, string role)
    {
        var context = http.HttpContext;
        var address = context is null ? null : ClientAddress(context);
        return new AuditActor(accountId, name, role, address);
    }

    /// <summary>The caller, from the Gateway's token on the current request; the system when there is none (a sweep, a consumer).</summary>
    public AuditActor Actor()
    {
        var context = http.HttpContext;
        if (context?.User is not { } user || user.UserId() is not { } id)
        {
            return AuditActor.System;
        }

        var roles = user.FindAll(MarketplaceClaims.Role).Select(c => c.Value).Concat(user.FindAll(ClaimTypes.Role).Select(c => c.Value))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        return new AuditActor(id, user.DisplayName() ?? string.Empty, string.Join(',', roles), ClientAddress(context));
    }

    /// <summary>The client: from the Gateway's X-Forwarded-For behind it; in the Gateway, the connection it resolved.</summary>
    private string? ClientAddress(HttpContext context) =>
        options.BehindGateway ? ForwardedClient.Address(context) : context.Connection.RemoteIpAddress?.ToString();
}

/// <param name="BehindGateway">
/// True for the services the Gateway forwards to (they read the client from the X-Forwarded-For the Gateway wrote);
/// false for the Gateway itself, which has already resolved the client into the connection's address.
/// </param>
public sealed record AuditTrailOptions(bool BehindGateway);
