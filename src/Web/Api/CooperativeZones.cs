using System.Collections.Concurrent;

namespace Marketplace.Web.Api;

/// <summary>
/// A cooperative's time zone, from her record in Catalog, for pages that date things about her (an order, a member's
/// money). Kept a while per process: a zone practically never changes. When Catalog cannot say, the answer is null,
/// which the formatting reads as the default zone: a page about an order must not fail because Catalog is away.
/// </summary>
public sealed class CooperativeZones(CatalogApi catalog, TimeProvider clock, ILogger<CooperativeZones> logger)
{
    private static readonly TimeSpan KeptFor = TimeSpan.FromMinutes(10);
    private static readonly ConcurrentDictionary<Guid, (string Zone, DateTimeOffset Until)> Known = new();

    public async Task<string?> OfAsync(Guid cooperativeId, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        if (Known.TryGetValue(cooperativeId, out var known) && known.Until > now)
        {
            return known.Zone;
        }

        try
        {
            if (await catalog.GetAsync<Cooperative>($"/api/catalog/cooperatives/{cooperativeId}", cancellationToken) is { } cooperative)
            {
                Known[cooperativeId] = (cooperative.TimeZone, now + KeptFor);
                return cooperative.TimeZone;
            }
        }
        catch (Exception e) when (e is HttpRequestException or Polly.Timeout.TimeoutRejectedException or Polly.CircuitBreaker.BrokenCircuitException)
        {
            logger.LogWarning(e, "Catalog did not say cooperative {CooperativeId}'s time zone; dating its page in the default zone", cooperativeId);
        }

        return null;
    }
}
