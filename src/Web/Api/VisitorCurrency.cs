using Marketplace.ServiceDefaults.Formatting;
using Marketplace.Web.Localization;

namespace Marketplace.Web.Api;

/// <summary>A rate as the Gateway answers it: rupiah per unit, when it was set, and whether it is still fresh.</summary>
public sealed record ExchangeRateView(string Currency, decimal RupiahPerUnit, DateTimeOffset SetAt, bool Fresh);

/// <summary>
/// The currency a visitor chose for approximate prices (a cookie, as her language is; none: rupiah only), and the
/// platform admin's rates from the Gateway, kept a minute per process. A rate older than 30 days, or none, shows
/// nothing: the price in rupiah is the price, the rest is a guide.
/// </summary>
public sealed class VisitorCurrency(AccountApi account, IHttpContextAccessor accessor, Lang lang, TimeProvider clock, ILogger<VisitorCurrency> logger)
{
    public const string Cookie = "web.currency";
    public const string AdminPage = "/admin/kurs";

    private static readonly TimeSpan KeptFor = TimeSpan.FromMinutes(1);
    private static (IReadOnlyList<ExchangeRateView> Rates, DateTimeOffset Until)? _known;
    private Task<ExchangeRateView?>? _rate;

    /// <summary>The chosen currency; null for rupiah only.</summary>
    public ForeignCurrency? Chosen { get; } = ForeignCurrencies.Find(accessor.HttpContext?.Request.Cookies[Cookie]);

    /// <summary>"≈ US$ 1.25" for an amount in rupiah, or null when no currency is chosen or its rate is missing or stale.</summary>
    public async Task<string?> ApproximateAsync(long rupiah)
    {
        if (Chosen is null || await (_rate ??= RateAsync(Chosen)) is not { } rate)
        {
            return null;
        }

        return ForeignCurrencies.Approximate(rupiah, Chosen, rate.RupiahPerUnit, lang.English);
    }

    /// <summary>Forgets the kept rates: the admin page just changed them.</summary>
    public static void Forget() => _known = null;

    private async Task<ExchangeRateView?> RateAsync(ForeignCurrency currency)
    {
        var now = clock.GetUtcNow();
        var rates = _known is { } known && known.Until > now ? known.Rates : null;
        if (rates is null)
        {
            try
            {
                rates = await account.GetAsync<List<ExchangeRateView>>("/api/account/exchange-rates") ?? [];
                _known = (rates, now + KeptFor);
            }
            catch (Exception e) when (e is HttpRequestException or Polly.Timeout.TimeoutRejectedException or Polly.CircuitBreaker.BrokenCircuitException)
            {
                // A guide is not worth a failed page: without the rates, prices are shown in rupiah only.
                logger.LogWarning(e, "The Gateway did not give the exchange rates; showing rupiah only");
                return null;
            }
        }

        return rates.FirstOrDefault(r => r.Currency == currency.Code && ForeignCurrencies.IsFresh(r.SetAt, now));
    }
}
