using Marketplace.Catalog.Data;
using Marketplace.Contracts.Catalog;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Identity;
using Marketplace.ServiceDefaults.Messaging;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Catalog.Cooperatives;

public sealed record RegisterCooperativeRequest(string Slug, string Name, decimal FeePercent);

public sealed record RenameCooperativeRequest(string Name);

public sealed record CooperativeResponse(Guid Id, string Slug, string Name, decimal FeePercent, string Status, DateTimeOffset RegisteredAt)
{
    public static CooperativeResponse From(Cooperative c) =>
        new(c.Id, c.Slug, c.Name, c.FeePercent, c.Status.ToString(), c.RegisteredAt);
}

public static class CooperativesApi
{
    public static RouteGroupBuilder MapCooperativesApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/cooperatives").WithTags("Cooperatives");

        group.MapPost("/", RegisterAsync)
            .RequireAuthorization(MarketplacePolicies.PlatformAdmin)
            .WithName("RegisterCooperative")
            .WithSummary("Registers a cooperative on the platform (platform admins).");

        group.MapGet("/{slug}", GetAsync)
            .WithName("GetCooperative")
            .WithSummary("A cooperative's public profile.");

        group.MapPut("/{id:guid}/name", RenameAsync)
            .RequireAuthorization(MarketplacePolicies.CooperativeAdmin)
            .WithName("RenameCooperative")
            .WithSummary("Changes a cooperative's public name (its admins).");
        return group;
    }

    public static async Task<Created<CooperativeResponse>> RegisterAsync(
        RegisterCooperativeRequest request,
        CatalogDbContext db,
        IOutbox outbox,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var cooperative = Cooperative.Register(request.Slug, request.Name, request.FeePercent, clock.GetUtcNow());
        if (await db.Cooperatives.AnyAsync(c => c.Slug == cooperative.Slug, cancellationToken))
        {
            throw new ConflictException($"The slug '{cooperative.Slug}' is already taken.", "slug_taken");
        }

        db.Cooperatives.Add(cooperative);
        outbox.Publish(
            new CooperativeRegistered(cooperative.Id, cooperative.Slug, cooperative.Name, cooperative.FeePercent, cooperative.RegisteredAt),
            orderingKey: cooperative.Id.ToString());
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/catalog/cooperatives/{cooperative.Slug}", CooperativeResponse.From(cooperative));
    }

    public static async Task<Results<Ok<CooperativeResponse>, NotFound>> GetAsync(
        string slug,
        CatalogDbContext db,
        CancellationToken cancellationToken)
    {
        // Slugs are stored lowercase.
        var normalized = slug.ToLowerInvariant();
        var cooperative = await db.Cooperatives.AsNoTracking()
            .FirstOrDefaultAsync(c => c.Slug == normalized, cancellationToken);
        return cooperative is null ? TypedResults.NotFound() : TypedResults.Ok(CooperativeResponse.From(cooperative));
    }

    public static async Task<Results<Ok<CooperativeResponse>, NotFound, ForbidHttpResult>> RenameAsync(
        Guid id,
        RenameCooperativeRequest request,
        HttpContext http,
        CatalogDbContext db,
        IOutbox outbox,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var cooperative = await db.Cooperatives.FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (cooperative is null)
        {
            return TypedResults.NotFound();
        }

        if (!http.User.IsAdminOf(cooperative.Id))
        {
            return TypedResults.Forbid();
        }

        cooperative.Rename(request.Name);
        outbox.Publish(new CooperativeRenamed(cooperative.Id, cooperative.Name, clock.GetUtcNow()), orderingKey: cooperative.Id.ToString());
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(CooperativeResponse.From(cooperative));
    }
}
