using Marketplace.Orders.Data;
using Marketplace.ServiceDefaults.Errors;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Orders.Baskets;

public sealed record SetLineRequest(Guid ProductId, int Quantity);

/// <summary>A line of the basket; <see cref="NameEn"/> is the English name where the maker gave one.</summary>
public sealed record BasketLineResponse(Guid ProductId, Guid VariantId, string Name, string VariantLabel, string? ImageUrl, int Quantity,
    long UnitPriceRupiah, long LineTotalRupiah, int WeightGrams, bool Available, string? NameEn);

/// <summary>One cooperative's basket. Each cooperative is its own merchant: a basket is checked out and paid on its own.</summary>
public sealed record BasketResponse(Guid CooperativeId, string CooperativeName, IReadOnlyList<BasketLineResponse> Lines,
    long ItemsTotalRupiah, int WeightGrams, bool CanCheckOut);

public static class BasketsApi
{
    public static RouteGroupBuilder MapBasketsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/baskets").WithTags("Baskets");
        group.MapGet("/", ListAsync)
            .WithName("ListBaskets")
            .WithSummary("This shopper's baskets, one per cooperative: each is checked out and paid separately.");
        group.MapGet("/{cooperativeId:guid}", GetAsync)
            .WithName("GetBasket")
            .WithSummary("One cooperative's basket with today's prices and availability.");
        group.MapPut("/{cooperativeId:guid}/lines/{variantId:guid}", SetLineAsync)
            .WithName("SetBasketLine")
            .WithSummary("Sets how many of a variant are in the basket (0 removes it).");
        return group;
    }

    private static async Task<Ok<List<BasketResponse>>> ListAsync(HttpContext http, OrdersDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var owner = await BasketStore.OwnerAfterSignInAsync(http, db, clock, cancellationToken);
        if (owner is null)
        {
            return TypedResults.Ok(new List<BasketResponse>());
        }

        var baskets = await db.Baskets.AsNoTracking().Where(b => b.Owner == owner).OrderBy(b => b.UpdatedAt).ToListAsync(cancellationToken);
        var responses = new List<BasketResponse>();
        foreach (var basket in baskets.Where(b => b.Lines.Count > 0))
        {
            responses.Add(await DescribeAsync(db, basket, cancellationToken));
        }

        return TypedResults.Ok(responses);
    }

    private static async Task<Ok<BasketResponse>> GetAsync(Guid cooperativeId, HttpContext http, OrdersDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var owner = await BasketStore.OwnerAfterSignInAsync(http, db, clock, cancellationToken);
        var basket = owner is null ? null : await db.Baskets.AsNoTracking().FirstOrDefaultAsync(b => b.Owner == owner && b.CooperativeId == cooperativeId, cancellationToken);
        return TypedResults.Ok(await DescribeAsync(db, basket ?? Basket.Open(owner ?? string.Empty, cooperativeId, clock.GetUtcNow()), cancellationToken));
    }

    private static async Task<Ok<BasketResponse>> SetLineAsync(
        Guid cooperativeId, Guid variantId, SetLineRequest request, HttpContext http, OrdersDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (request.Quantity > 0)
        {
            var sellable = await db.Sellables.AsNoTracking().FirstOrDefaultAsync(s => s.ProductId == request.ProductId, cancellationToken);
            var variant = sellable?.Variants.FirstOrDefault(v => v.VariantId == variantId);
            if (sellable is null || variant is null || !sellable.OnSale || !variant.Active)
            {
                throw new NotFoundException("This product is not on sale.");
            }

            if (sellable.CooperativeId != cooperativeId)
            {
                throw new DomainException("This product belongs to another cooperative's basket.", "wrong_cooperative");
            }
        }

        var owner = await BasketStore.OwnerAfterSignInAsync(http, db, clock, cancellationToken) ?? BasketOwner.CurrentOrNewGuest(http);
        var basket = await db.Baskets.FirstOrDefaultAsync(b => b.Owner == owner && b.CooperativeId == cooperativeId, cancellationToken);
        if (basket is null)
        {
            basket = Basket.Open(owner, cooperativeId, now);
            db.Baskets.Add(basket);
        }

        basket.Set(request.ProductId, variantId, request.Quantity, now);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(await DescribeAsync(db, basket, cancellationToken));
    }

    public static async Task<BasketResponse> DescribeAsync(OrdersDbContext db, Basket basket, CancellationToken cancellationToken)
    {
        var merchant = await db.Merchants.AsNoTracking().FirstOrDefaultAsync(m => m.CooperativeId == basket.CooperativeId, cancellationToken);
        var priced = await Pricing.PriceAsync(db, basket.CooperativeId, basket.Lines, cancellationToken);
        var lines = priced.Select(p => new BasketLineResponse(p.ProductId, p.VariantId, p.Name, p.VariantLabel, p.ImageUrl, p.Quantity,
            p.UnitPriceRupiah, p.LineTotalRupiah, p.WeightGrams, p.Available, p.NameEn)).ToList();
        var available = priced.Where(p => p.Available).ToList();
        return new BasketResponse(
            basket.CooperativeId,
            merchant?.Name ?? string.Empty,
            lines,
            available.Sum(p => p.LineTotalRupiah),
            available.Sum(p => p.WeightGrams * p.Quantity),
            merchant is { Active: true } && available.Count > 0);
    }
}

public static class BasketStore
{
    /// <summary>
    /// The owner to use for this request. A guest who has signed in brings her baskets along: they are merged into
    /// her account's and the guest cookie is dropped.
    /// </summary>
    public static async Task<string?> OwnerAfterSignInAsync(HttpContext http, OrdersDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var user = BasketOwner.User(http);
        var guest = BasketOwner.Guest(http);
        if (user is null || guest is null)
        {
            return user ?? guest;
        }

        var now = clock.GetUtcNow();
        var guestBaskets = await db.Baskets.Where(b => b.Owner == guest).ToListAsync(cancellationToken);
        foreach (var guestBasket in guestBaskets)
        {
            var own = await db.Baskets.FirstOrDefaultAsync(b => b.Owner == user && b.CooperativeId == guestBasket.CooperativeId, cancellationToken);
            if (own is null)
            {
                own = Basket.Open(user, guestBasket.CooperativeId, now);
                db.Baskets.Add(own);
            }

            own.Absorb(guestBasket, now);
            db.Baskets.Remove(guestBasket);
        }

        // Her orders placed as a guest stay hers once the guest cookie is gone.
        await db.Orders.Where(o => o.Owner == guest).ExecuteUpdateAsync(set => set.SetProperty(o => o.Owner, user), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        http.Response.Cookies.Delete(BasketOwner.GuestCookie);
        return user;
    }
}
