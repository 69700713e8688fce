using Microsoft.EntityFrameworkCore;

namespace Marketplace.Catalog.Common;

/// <summary>
/// A job each replica runs once at start and then every <see cref="Interval"/>: its sweep must be safe with another
/// replica sweeping at once, and lose nothing when it fails (what was due is still due at the next sweep). Between
/// sweeps it waits on a timer (the injected clock, so tests drive it), costing nothing.
/// </summary>
public abstract partial class PeriodicSweep(TimeProvider clock, ILogger logger) : BackgroundService
{
    /// <summary>The clock sweeps tell time by (injected: tests move it).</summary>
    protected TimeProvider Clock { get; } = clock;

    protected abstract TimeSpan Interval { get; }

    /// <summary>What the sweep does, for the log: "Sending permit reminders".</summary>
    protected abstract string Doing { get; }

    /// <summary>Does what is due now; returns how much this sweep did (another replica's is not counted).</summary>
    public abstract Task<int> SweepAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is Npgsql.NpgsqlException or DbUpdateException or InvalidOperationException)
            {
                LogSweepFailed(logger, ex, Doing);
            }

            await Task.Delay(Interval, Clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Doing} failed; trying again at the next sweep")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception, string doing);
}
