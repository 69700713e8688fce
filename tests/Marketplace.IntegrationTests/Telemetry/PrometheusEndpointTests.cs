using System.Net;
using Marketplace.LocalInfrastructure;
using Marketplace.Testing;

namespace Marketplace.IntegrationTests.Telemetry;

/// <summary>
/// With <c>Telemetry:PrometheusPort</c> set (the monitoring component sets 9464), a service answers <c>/metrics</c> on
/// that port only, with the gauges the alerts need; on its public port the path is not the metrics.
/// </summary>
public sealed class PrometheusEndpointTests
{
    [Fact]
    public async Task Metrics_are_served_on_the_metrics_port_only_with_the_outbox_backlog_gauges()
    {
        var scope = await TestScope.CreateAsync();
        var (publicPort, metricsPort) = (FreePorts.Next(), FreePorts.Next());
        var settings = ServiceSettings.For(scope, TestTokens.Issuer, "catalog");
        settings["ConnectionStrings:catalogdb"] = scope.Database("catalog");
        settings["Telemetry:PrometheusPort"] = metricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var catalog = new ServiceHost<Catalog.Program>(settings);
        catalog.ListenOn(publicPort);
        // Kestrel listens on both, as ASPNETCORE_HTTP_PORTS="8080;9464" makes it in the cluster.
        settings["urls"] = $"http://127.0.0.1:{publicPort};http://127.0.0.1:{metricsPort}";
        catalog.StartServer();
        using var http = new HttpClient();
        await Eventually.TrueAsync(async () => (await http.GetAsync(new Uri($"http://127.0.0.1:{publicPort}/health/ready"))).IsSuccessStatusCode,
            TimeSpan.FromSeconds(60), "Catalog to be ready");

        // The gauges read the database in the background after a collection: the second scrape has the outbox's figures.
        var metrics = await Eventually.GetAsync(
            () => http.GetStringAsync(new Uri($"http://127.0.0.1:{metricsPort}/metrics")),
            text => text.Contains("marketplace_outbox_oldest_pending_age_seconds{", StringComparison.Ordinal),
            because: "the outbox backlog gauges to be exported");
        Assert.Contains("marketplace_outbox=\"catalog\"", metrics, StringComparison.Ordinal);
        Assert.Contains("marketplace_outbox_pending{", metrics, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration_seconds_count{", metrics, StringComparison.Ordinal);

        var onPublicPort = await http.GetAsync(new Uri($"http://127.0.0.1:{publicPort}/metrics"));
        Assert.Equal(HttpStatusCode.NotFound, onPublicPort.StatusCode);
    }
}
