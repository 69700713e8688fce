using Marketplace.Gateway.Data;
using Marketplace.ServiceDefaults.Audit;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Formatting;
using Marketplace.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Gateway.ExchangeRates;

/// <param name="Fresh">False once the rate is older than 30 days: the storefront no longer shows prices from it.</param>
public sealed record ExchangeRateResponse(string Currency, decimal RupiahPerUnit, DateTimeOffset SetAt, bool Fresh);

/// <summary>Rupiah per unit by currency code (<c>{"USD": 16250}</c>); currencies left out keep their rate.</summary>
public sealed record SetExchangeRatesRequest(IReadOnlyDictionary<string, decimal?>? Rates);

/// <summary>
/// The rates behind visitors' approximate prices. They are platform-wide (every cooperative's prices are rupiah, and a
/// visitor's currency does not depend on whose product she looks at) and set by the platform admin, whose account and
/// settings the Gateway keeps; so they live here, beside the platform admin's other tools, not in a cooperative's
/// service. Anyone may read them.
/// </summary>
public static class ExchangeRatesApi
{
    /// <summary>Far above any of the seven currencies' rate (the weakest, the yen, is about a hundred rupiah).</summary>
    private const decimal MaxRupiahPerUnit = 1_000_000m;

    public static IEndpointRouteBuilder MapExchangeRatesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/account/exchange-rates").WithTags("ExchangeRates");
        group.MapGet("/", ListAsync)
            .AllowAnonymous()
            .WithName("ListExchangeRates")
            .WithSummary("The rupiah per unit of each currency the platform admin has set, with when, and whether it is still fresh (30 days).");
        group.MapPut("/", SetAsync)
            .RequireAuthorization(MarketplacePolicies.PlatformAdmin)
            .WithName("SetExchangeRates")
            .WithSummary("Sets rupiah per unit for USD, EUR, AUD, SGD, MYR, CNY or JPY; every rate must be above 0.");
        return app;
    }

    private static async Task<Ok<List<ExchangeRateResponse>>> ListAsync(GatewayDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var rates = await db.ExchangeRates.AsNoTracking().ToListAsync(cancellationToken);
        return TypedResults.Ok(Describe(rates, now));
    }

    private static async Task<Ok<List<ExchangeRateResponse>>> SetAsync(
        SetExchangeRatesRequest request, HttpContext http, GatewayDbContext db, AuditTrail audit, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var wanted = new List<(ForeignCurrency Currency, decimal Rate)>();
        if (request.Rates is not { Count: > 0 })
        {
            errors.Add("rates", "rates_required", "Give at least one currency's rate.");
        }

        foreach (var (code, rate) in request.Rates ?? new Dictionary<string, decimal?>())
        {
            if (ForeignCurrencies.Find(code) is not { } currency)
            {
                errors.Add($"rates.{code}", "unknown_currency", "Rates are set for USD, EUR, AUD, SGD, MYR, CNY and JPY only.");
            }
            else if (rate is not { } value || value <= 0 || value > MaxRupiahPerUnit)
            {
                errors.Add($"rates.{currency.Code}", "invalid_rate", "A rate is the rupiah one unit costs: more than 0, at most 1,000,000.");
            }
            else
            {
                wanted.Add((currency, value));
            }
        }

        errors.ThrowIfAny();
        var now = clock.GetUtcNow();
        var by = http.User.UserId() ?? Guid.Empty;
        var known = await db.ExchangeRates.ToDictionaryAsync(r => r.Currency, cancellationToken);
        var before = known.Values.ToDictionary(r => r.Currency, r => r.RupiahPerUnit);
        foreach (var (currency, rate) in wanted)
        {
            if (!known.TryGetValue(currency.Code, out var row))
            {
                row = ExchangeRate.For(currency.Code);
                db.ExchangeRates.Add(row);
                known[currency.Code] = row;
            }

            row.Set(rate, now, by);
        }

        audit.Record(db, "platform.exchange-rates-set", null, "exchange-rates", "all", before, known.Values.ToDictionary(r => r.Currency, r => r.RupiahPerUnit));
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(Describe(known.Values, now));
    }

    private static List<ExchangeRateResponse> Describe(IEnumerable<ExchangeRate> rates, DateTimeOffset now) =>
        rates.OrderBy(r => ForeignCurrencies.All.ToList().FindIndex(c => c.Code == r.Currency))
            .Select(r => new ExchangeRateResponse(r.Currency, r.RupiahPerUnit, r.SetAt, ForeignCurrencies.IsFresh(r.SetAt, now)))
            .ToList();
}
