using Marketplace.Orders.Sellables;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Formatting;
using Marketplace.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Marketplace.Orders.Baskets;

public sealed record SetLineRequest(Guid ProductId, int Quantity);

/// <summary>
/// A line of the basket; <see cref="NameEn"/> is the English name where the maker gave one. <see cref="MakerAwayUntil"/> is the
/// last day of her maker's holiday when she is away today: it can be picked up at the kiosk but not shipped until the day after.
/// </summary>
public sealed record BasketLineResponse(Guid ProductId, Guid VariantId, string Name, string VariantLabel, string? ImageUrl, int Quantity,
    long UnitPriceRupiah, long LineTotalRupiah, int WeightGrams, bool Available, string? NameEn, DateOnly? MakerAwayUntil = null);

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
        var baskets = await BasketStore.ReadAsync(http, db, null, clock, cancellationToken);
        var responses = new List<BasketResponse>();
        foreach (var basket in baskets.Where(b => b.Lines.Count > 0))
        {
            responses.Add(await DescribeAsync(db, basket, clock, cancellationToken));
        }

        return TypedResults.Ok(responses);
    }

    private static async Task<Ok<BasketResponse>> GetAsync(Guid cooperativeId, HttpContext http, OrdersDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var basket = (await BasketStore.ReadAsync(http, db, cooperativeId, clock, cancellationToken)).SingleOrDefault();
        return TypedResults.Ok(await DescribeAsync(db, basket ?? Basket.Open(BasketOwner.Current(http) ?? string.Empty, cooperativeId, clock.GetUtcNow()), clock, cancellationToken));
    }

    private static async Task<Results<Ok<BasketResponse>, ProblemHttpResult>> SetLineAsync(
        Guid cooperativeId, Guid variantId, SetLineRequest request, HttpContext http, OrdersDbContext db, TimeProvider clock,
        IOptions<GuestBasketOptions> guestBaskets, CancellationToken cancellationToken)
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

        // Takes a guest in when she has signed in meanwhile; a guest's cookie (and so her baskets' life) is renewed by each change.
        await BasketStore.ClaimGuestAsync(http, db, clock, cancellationToken);
        var owner = BasketOwner.CurrentOrNewGuest(http);
        var basket = await db.Baskets.FirstOrDefaultAsync(b => b.Owner == owner && b.CooperativeId == cooperativeId, cancellationToken);
        if (basket is null)
        {
            var client = owner.StartsWith("guest:", StringComparison.Ordinal) ? GuestBasketLimit.ClientOf(http) : null;
            if (await GuestBasketLimit.RefusalAsync(db, client, guestBaskets.Value, now, http, cancellationToken) is { } refused)
            {
                return refused;
            }

            basket = Basket.Open(owner, cooperativeId, now, client);
            db.Baskets.Add(basket);
        }

        basket.Set(request.ProductId, variantId, request.Quantity, now);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(await DescribeAsync(db, basket, clock, cancellationToken));
    }

    public static async Task<BasketResponse> DescribeAsync(OrdersDbContext db, Basket basket, TimeProvider clock, CancellationToken cancellationToken)
    {
        var merchant = await db.Merchants.AsNoTracking().FirstOrDefaultAsync(m => m.CooperativeId == basket.CooperativeId, cancellationToken);
        var priced = await Pricing.PriceAsync(db, basket.CooperativeId, basket.Lines, cancellationToken);
        var today = LocalTime.Today(clock.GetUtcNow(), merchant?.TimeZone);
        var away = await MemberHolidays.AwayOnAsync(db, priced.Where(p => p.Available).Select(p => p.MemberId), today, cancellationToken);
        var lines = priced.Select(p => new BasketLineResponse(p.ProductId, p.VariantId, p.Name, p.VariantLabel, p.ImageUrl, p.Quantity,
            p.UnitPriceRupiah, p.LineTotalRupiah, p.WeightGrams, p.Available, p.NameEn, away.TryGetValue(p.MemberId, out var until) ? until : null)).ToList();
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
    /// This shopper's baskets (one cooperative's, or all), as she should see them, without writing anything. Just after
    /// sign-in, before Orders has taken in the guest she was (<see cref="ShopperSignedInConsumer"/>), the guest's
    /// baskets are shown merged into the account's, as they are about to be.
    /// </summary>
    public static async Task<List<Basket>> ReadAsync(HttpContext http, OrdersDbContext db, Guid? cooperativeId, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        var user = BasketOwner.User(http);
        var guest = BasketOwner.Guest(http);
        var owners = new[] { user, guest }.OfType<string>().ToList();
        if (owners.Count == 0)
        {
            return [];
        }

        var query = db.Baskets.AsNoTracking().Where(b => owners.Contains(b.Owner));
        if (cooperativeId is { } only)
        {
            query = query.Where(b => b.CooperativeId == only);
        }

        var baskets = await query.OrderBy(b => b.UpdatedAt).ToListAsync(cancellationToken);
        if (user is null || guest is null)
        {
            return baskets;
        }

        var now = clock.GetUtcNow();
        var shown = new List<Basket>();
        foreach (var basket in baskets.Where(b => b.Owner == user))
        {
            shown.Add(basket);
        }

        foreach (var guestBasket in baskets.Where(b => b.Owner == guest))
        {
            var own = shown.FirstOrDefault(b => b.CooperativeId == guestBasket.CooperativeId);
            if (own is null)
            {
                shown.Add(guestBasket);
            }
            else
            {
                // Untracked: merged for this answer only.
                own.Absorb(guestBasket, now);
            }
        }

        return shown;
    }

    /// <summary>
    /// The owner a write acts as. A guest who has signed in is taken in first (in case the sign-in's message has not
    /// been handled yet) and her guest cookie dropped.
    /// </summary>
    public static async Task<string?> ClaimGuestAsync(HttpContext http, OrdersDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        var user = BasketOwner.User(http);
        var guest = BasketOwner.Guest(http);
        if (user is null || guest is null)
        {
            return user ?? guest;
        }

        await TakeInGuestAsync(db, guest, user, clock.GetUtcNow(), cancellationToken);
        http.Response.Cookies.Delete(GuestCookie.Name);
        return user;
    }

    /// <summary>
    /// In one transaction, the guest's baskets are merged into the account's (quantities add up) and her orders
    /// placed as a guest become the account's. Taking in the same guest again changes nothing.
    /// </summary>
    public static async Task TakeInGuestAsync(OrdersDbContext db, string guest, string user, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            try
            {
                await MergeAsync(db, guest, user, now, cancellationToken);
                return;
            }
            catch (DbUpdateConcurrencyException) when (attempt < 3)
            {
                // Another request of hers merged the same basket first: what is left to merge is looked at again.
            }
        }
    }

    private static async Task MergeAsync(OrdersDbContext db, string guest, string user, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
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

        await db.SaveChangesAsync(cancellationToken);
        // Her orders placed as a guest stay hers once the guest cookie is gone.
        await db.Orders.Where(o => o.Owner == guest).ExecuteUpdateAsync(set => set.SetProperty(o => o.Owner, user), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
