using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Marketplace.ServiceDefaults.Telemetry;

/// <summary>
/// Serves <c>/metrics</c> first in the pipeline (before HTTPS redirection, rate limits and authentication, which are
/// for people), and only on connections to the metrics port: the same path on the public port is the app's as before.
/// </summary>
internal sealed class PrometheusScrapingStartupFilter(int port) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.UseOpenTelemetryPrometheusScrapingEndpoint(
            meterProvider: null,
            predicate: context => context.Connection.LocalPort == port && context.Request.Path == "/metrics",
            path: null,
            configureBranchedPipeline: null,
            optionsName: null);
        next(app);
    };
}
