using System.Text.Json;
using Marketplace.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.ServiceDefaults.Audit;

/// <summary>One entry as the admin's page reads it.</summary>
public sealed record AuditEntryResponse(
    long Sequence, DateTimeOffset At, Guid? ActorId, string ActorName, string ActorRole, string? ClientAddress, Guid? CooperativeId,
    string Action, string SubjectType, string SubjectId, JsonElement? Before, JsonElement? After, string? Reason);

/// <summary>A page of entries, newest first; <see cref="Older"/> continues it.</summary>
public sealed record AuditPage(IReadOnlyList<AuditEntryResponse> Entries, long? Older);

/// <summary>What the chain check found: the rows it walked, the last one's number, and the first that no longer fits (none: intact).</summary>
public sealed record AuditCheckResult(long Checked, long Last, long? FirstBroken)
{
    public bool Intact => FirstBroken is null;
}

public static class AuditTrailApi
{
    /// <summary>
    /// <c>GET {path}</c>: entries newest first, filtered; <c>GET {path}/check</c>: the chain check. A cooperative's admin
    /// reads her cooperative's entries; the platform admin reads all (no <c>cooperativeId</c>). The check walks the whole
    /// chain and tells only whether and where it is broken, so any admin may run it.
    /// </summary>
    public static IEndpointRouteBuilder MapAuditTrail<TDbContext>(this IEndpointRouteBuilder app, string path, string schema)
        where TDbContext : DbContext
    {
        var group = app.MapGroup(path).WithTags("Audit").RequireAuthorization(MarketplacePolicies.CooperativeAdmin);
        group.MapGet("/", ReadAsync<TDbContext>)
            .WithName($"Read{typeof(TDbContext).Name}AuditTrail")
            .WithSummary("Who did what, newest first: a cooperative's entries for its admin, all for the platform admin.");
        group.MapGet("/check", async (HttpContext http, CancellationToken cancellationToken) =>
                TypedResults.Ok(await CheckAsync(http.RequestServices.GetRequiredService<TDbContext>(), schema, cancellationToken)))
            .WithName($"Check{typeof(TDbContext).Name}AuditTrail")
            .WithSummary("Walks the hash chain: the first entry changed, removed or out of place, if any.");
        return app;
    }

    public static IServiceCollection AddAuditTrail(this IServiceCollection services, bool behindGateway = true)
    {
        services.AddHttpContextAccessor();
        services.AddSingleton(new AuditTrailOptions(behindGateway));
        services.AddScoped<AuditTrail>();
        return services;
    }

    /// <summary>The page's filters, from the query string.</summary>
    public sealed record AuditFilter(Guid? CooperativeId, string[]? Action, Guid? ActorId, DateTimeOffset? From, DateTimeOffset? To, long? Before, int? Limit);

    private static async Task<Results<Ok<AuditPage>, ForbidHttpResult>> ReadAsync<TDbContext>(
        HttpContext http, [AsParameters] AuditFilter filter, CancellationToken cancellationToken)
        where TDbContext : DbContext
    {
        var db = http.RequestServices.GetRequiredService<TDbContext>();
        var allowed = filter.CooperativeId is { } cooperative ? http.User.IsAdminOf(cooperative) : http.User.IsInRole(MarketplaceRoles.PlatformAdmin);
        if (!allowed)
        {
            return TypedResults.Forbid();
        }

        var limit = Math.Clamp(filter.Limit ?? 50, 1, 200);
        var entries = db.Set<AuditEntry>().AsNoTracking();
        if (filter.CooperativeId is { } id)
        {
            entries = entries.Where(e => e.CooperativeId == id);
        }

        var kinds = (filter.Action ?? []).Where(a => !string.IsNullOrWhiteSpace(a)).Select(a => a.Trim()).Take(20).ToList();
        if (kinds.Count > 0)
        {
            // "stock" finds every stock action, "stock.counted" one kind; several are any of them.
            // Action names are letters, dots and dashes: nothing in them is a LIKE wildcard.
            var patterns = kinds.Select(k => k + ".%").ToList();
            entries = entries.Where(e => kinds.Contains(e.Action) || patterns.Any(p => EF.Functions.Like(e.Action, p)));
        }

        if (filter.ActorId is { } actor)
        {
            entries = entries.Where(e => e.ActorId == actor);
        }

        if (filter.From is { } from)
        {
            entries = entries.Where(e => e.At >= from.ToUniversalTime());
        }

        if (filter.To is { } to)
        {
            entries = entries.Where(e => e.At < to.ToUniversalTime());
        }

        if (filter.Before is { } before)
        {
            entries = entries.Where(e => e.Sequence < before);
        }

        var page = await entries.OrderByDescending(e => e.Sequence).Take(limit + 1).ToListAsync(cancellationToken);
        var shown = page.Take(limit).Select(e => new AuditEntryResponse(
            e.Sequence, e.At, e.ActorId, e.ActorName, e.ActorRole, e.ClientAddress, e.CooperativeId, e.Action, e.SubjectType, e.SubjectId,
            Parse(e.Before), Parse(e.After), e.Reason)).ToList();
        return TypedResults.Ok(new AuditPage(shown, page.Count > limit ? shown[^1].Sequence : null));
    }

    private static JsonElement? Parse(string? json)
    {
        if (json is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    public static async Task<AuditCheckResult> CheckAsync(DbContext db, string schema, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        // Not composed over (the query is a CTE): read as it is.
        var rows = await db.Database.SqlQueryRaw<AuditCheckResult>(AuditTrailSql.CheckQuery(schema)).ToListAsync(cancellationToken);
        return rows.Single();
    }
}
