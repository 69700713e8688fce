using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Health;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Marketplace.ServiceDefaults;

public static class Extensions
{
    /// <summary>Tag of the health checks that must pass before an instance takes traffic.</summary>
    public const string ReadyTag = "ready";

    /// <summary>
    /// Wires what every service shares: structured logs, OpenTelemetry, health checks, problem details,
    /// service discovery and resilient HTTP clients.
    /// </summary>
    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder)
    {
        builder.ConfigureStructuredLogging();
        builder.ConfigureOpenTelemetry();

        // A stopping replica reports itself unhealthy on both endpoints while it drains (Health/Draining.cs).
        builder.Services.AddSingleton<Health.Draining>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Health.Draining>());
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), tags: ["live"])
            .AddCheck<Health.Draining>("draining", tags: ["live"]);

        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<DomainExceptionHandler>();
        // A body that cannot be read (a control character in a field, malformed JSON) throws, so the handler above
        // answers it with a problem body naming the field, in every environment (by default only Development throws).
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.PostConfigure<Microsoft.AspNetCore.Http.Json.JsonOptions>(o => ControlCharacters.Apply(o.SerializerOptions));
        builder.Services.AddOpenApi();

        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });
        return builder;
    }

    private static void ConfigureStructuredLogging(this IHostApplicationBuilder builder)
    {
        // One JSON object per line outside Development, so a log collector can index the fields.
        if (!builder.Environment.IsDevelopment())
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }
    }

    private static void ConfigureOpenTelemetry(this IHostApplicationBuilder builder)
    {
        // Traces and logs are exported only when a collector is configured (the standard OTEL_EXPORTER_OTLP_ENDPOINT
        // variable), metrics also when Prometheus scrapes them (Telemetry:PrometheusPort). Without either, spans and
        // log records would be built for every request, query and message and then thrown away: measurable CPU on a
        // busy checkout, for nothing.
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var prometheusPort = builder.Configuration.GetValue<int?>(PrometheusPortSetting);
        if (!otlp && prometheusPort is null)
        {
            return;
        }

        var telemetry = builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics =>
            {
                metrics
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddMeter("MassTransit")
                    .AddMeter("Npgsql")
                    .AddMeter(Messaging.MessagingTelemetry.MeterName)
                    .AddMeter(Telemetry.MarketplaceMeters.Name);
                if (prometheusPort is not null)
                {
                    metrics.AddPrometheusExporter();
                }
            });
        if (prometheusPort is { } port)
        {
            builder.Services.AddSingleton<IStartupFilter>(new Telemetry.PrometheusScrapingStartupFilter(port));
        }

        if (!otlp)
        {
            return;
        }

        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        telemetry
            .WithTracing(tracing => tracing
                .SetSampler(new ParentBasedSampler(new Telemetry.BackgroundPollSampler()))
                .AddSource(builder.Environment.ApplicationName)
                .AddSource("MassTransit")
                .AddSource(Messaging.MessagingTelemetry.ActivitySourceName)
                .AddAspNetCoreInstrumentation(o =>
                    o.Filter = ctx => !ctx.Request.Path.StartsWithSegments("/health", StringComparison.Ordinal))
                .AddHttpClientInstrumentation()
                .AddNpgsql())
            .UseOtlpExporter();
    }

    /// <summary>
    /// The port on which the service also listens (it must be among its ASPNETCORE_HTTP_PORTS) to serve
    /// <c>/metrics</c> to Prometheus. Only connections to that port are answered: the Service and the Ingress send
    /// traffic to the other one, so the metrics are never public.
    /// </summary>
    public const string PrometheusPortSetting = "Telemetry:PrometheusPort";

    /// <summary>
    /// Maps <c>/health/live</c> (the process answers), <c>/health/ready</c> (its database and broker answer)
    /// and the OpenAPI document at <c>/openapi/v1.json</c>. An error status without a body gets problem details,
    /// or, for an app that serves people (<paramref name="statusCodePage"/>, e.g. <c>/status/{0}</c>), that page; such an
    /// app maps its own error page for exceptions (<c>UseExceptionHandler(path)</c>) before calling this.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app, string? statusCodePage = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (statusCodePage is null)
        {
            app.UseExceptionHandler();
            app.UseStatusCodePages();
        }
        else
        {
            app.UseStatusCodePagesWithReExecute(statusCodePage, createScopeForStatusCodePages: true);
        }

        app.MapHealthChecks("/health/live", new HealthCheckOptions
        {
            Predicate = r => r.Tags.Contains("live"),
        });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = r => r.Tags.Contains(ReadyTag) || r.Tags.Contains("live"),
            ResponseWriter = HealthResponseWriter.WriteJsonAsync,
        });
        app.MapOpenApi();
        return app;
    }
}
