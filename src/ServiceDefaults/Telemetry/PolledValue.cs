using Microsoft.Extensions.Logging;

namespace Marketplace.ServiceDefaults.Telemetry;

/// <summary>
/// A value read from the database for a gauge, at most once per <c>interval</c> however often the gauge is collected.
/// A collection returns what was last read and, when that is older than the interval, starts one read in the
/// background for the next collection: a scrape never waits for a query, a burst of scrapes runs one query, and a
/// service nobody collects metrics from runs none (an idle service stays idle).
/// </summary>
public sealed class PolledValue<T>(Func<CancellationToken, Task<T>> read, T initial, TimeSpan interval, TimeProvider clock, ILogger logger)
{
    private T _value = initial;
    private long _readAtTicks = DateTimeOffset.MinValue.UtcTicks;
    private int _reading;

    /// <summary>The last value read; starts a read when it is stale.</summary>
    public T Current
    {
        get
        {
            if (clock.GetUtcNow().UtcTicks - Interlocked.Read(ref _readAtTicks) >= interval.Ticks && Interlocked.CompareExchange(ref _reading, 1, 0) == 0)
            {
                _ = RefreshAsync();
            }

            return _value;
        }
    }

    /// <summary>Reads the value now (tests, and the first collection's background read).</summary>
    public async Task RefreshAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            _value = await read(timeout.Token);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The database is down or not migrated yet: the gauge keeps its last value; health checks report the outage.
            logger.LogDebug(ex, "A polled gauge could not be read");
        }
        finally
        {
            Interlocked.Exchange(ref _readAtTicks, clock.GetUtcNow().UtcTicks);
            Volatile.Write(ref _reading, 0);
        }
    }
}
