using Marketplace.Orders.Baskets;
using Marketplace.Orders.Merchants;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Orders.Checkout;

/// <summary>
/// What shipping this basket to a province costs, named in words: <see cref="PriceRupiah"/> is null where the
/// cooperative does not ship (that province, or this weight).
/// </summary>
public sealed record ShippingDestination(string Province, string ZoneNameId, string ZoneNameEn, long? PriceRupiah);

public sealed record ShippingQuoteResponse(Guid CooperativeId, int WeightGrams, long ItemsTotalRupiah, IReadOnlyList<ShippingDestination> Destinations);

public static class ShippingQuotes
{
    public static RouteGroupBuilder MapShippingQuotes(this RouteGroupBuilder api)
    {
        api.MapGet("/baskets/{cooperativeId:guid}/shipping", QuoteAsync)
            .WithTags("Checkout")
            .WithName("ShippingQuote")
            .WithSummary("For each province of Indonesia, what shipping this basket costs (the same price checkout charges), so the shopper sees it before she orders.");
        return api;
    }

    private static async Task<Results<Ok<ShippingQuoteResponse>, NotFound>> QuoteAsync(
        Guid cooperativeId, HttpContext http, OrdersDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var merchant = await db.Merchants.AsNoTracking().FirstOrDefaultAsync(m => m.CooperativeId == cooperativeId, cancellationToken);
        if (merchant is null)
        {
            return TypedResults.NotFound();
        }

        var basket = (await BasketStore.ReadAsync(http, db, cooperativeId, clock, cancellationToken)).SingleOrDefault();
        var priced = basket is null ? [] : await Pricing.PriceAsync(db, cooperativeId, basket.Lines, cancellationToken);
        var available = priced.Where(p => p.Available).ToList();
        var grams = available.Sum(p => p.WeightGrams * p.Quantity);
        return TypedResults.Ok(new ShippingQuoteResponse(
            cooperativeId,
            grams,
            available.Sum(p => p.LineTotalRupiah),
            Quote(merchant, grams)));
    }

    public static List<ShippingDestination> Quote(Merchant merchant, int grams)
    {
        ArgumentNullException.ThrowIfNull(merchant);
        return ShippingZones.Provinces
            .Select(p => new ShippingDestination(p.Name, p.Zone.NameId, p.Zone.NameEn, merchant.RateFor(p, grams)?.PriceRupiah))
            .ToList();
    }
}
