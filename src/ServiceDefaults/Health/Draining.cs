using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Marketplace.ServiceDefaults.Health;

/// <summary>
/// A replica that is told to stop first stops being chosen, then stops. For <c>Shutdown:DrainSeconds</c> it keeps
/// serving (requests in flight finish, new ones are still answered) while its health endpoints say it is
/// draining, so the Gateway's health check and Kubernetes' readiness take it out of rotation; only then do its
/// server and message consumers stop. Without this, requests already routed to a stopping replica fail with 502.
/// </summary>
public sealed partial class Draining(IConfiguration configuration, ILogger<Draining> logger) : IHostedLifecycleService, IHealthCheck
{
    private volatile bool _draining;

    public TimeSpan Delay => TimeSpan.FromSeconds(configuration.GetValue("Shutdown:DrainSeconds", 0d));

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_draining ? HealthCheckResult.Unhealthy("draining: this replica is stopping") : HealthCheckResult.Healthy());

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        _draining = true;
        if (Delay > TimeSpan.Zero)
        {
            LogDraining(logger, Delay.TotalSeconds);
            try
            {
                await Task.Delay(Delay, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // The host's shutdown timeout ended the wait: stop now.
            }
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping: draining for {Seconds} s before the server and consumers stop")]
    private static partial void LogDraining(ILogger logger, double seconds);
}
