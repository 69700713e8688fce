using Microsoft.Extensions.Diagnostics.HealthChecks;
using Yarp.ReverseProxy;

namespace Marketplace.Gateway.Health;

/// <summary>
/// Asks every routed service's <c>/health/ready</c>. A service that is down makes the Gateway Degraded, not
/// Unhealthy: the Gateway should keep serving what still works rather than be taken out of rotation.
/// </summary>
internal sealed class RoutedServicesHealthCheck(IProxyStateLookup proxy, IHttpClientFactory httpClients) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var probes = proxy.GetClusters()
            .SelectMany(cluster => cluster.Destinations.Values.Select(d => (Cluster: cluster.ClusterId, Address: d.Model.Config.Address)))
            .Select(async target => (target.Cluster, Ready: await IsReadyAsync(target.Address, cancellationToken)))
            .ToArray();
        var results = await Task.WhenAll(probes);

        var data = results.GroupBy(r => r.Cluster)
            .ToDictionary(g => g.Key, g => (object)(g.Any(r => r.Ready) ? "ready" : "not ready"));
        var notReady = data.Where(d => (string)d.Value != "ready").Select(d => d.Key).ToArray();
        return notReady.Length == 0
            ? HealthCheckResult.Healthy("Every routed service is ready.", data)
            : HealthCheckResult.Degraded($"Not ready: {string.Join(", ", notReady)}.", data: data);
    }

    private async Task<bool> IsReadyAsync(string address, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(3));
        try
        {
            using var client = httpClients.CreateClient("readiness");
            using var response = await client.GetAsync(new Uri(new Uri(address), "/health/ready"), timeout.Token);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or Polly.Timeout.TimeoutRejectedException)
        {
            return false;
        }
    }
}
