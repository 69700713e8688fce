using System.Diagnostics;
using System.Globalization;

namespace Marketplace.Gateway.Benchmarks;

public sealed record LatencySummary(int Requests, int Failures, double P50Ms, double P99Ms, double MaxMs, double[] SortedMs)
{
    public static LatencySummary Pooled(IEnumerable<LatencySummary> rounds)
    {
        var rows = rounds.ToList();
        var all = rows.SelectMany(r => r.SortedMs).Order().ToArray();
        return new LatencySummary(all.Length, rows.Sum(r => r.Failures), LoadGenerator.Percentile(all, 0.50), LoadGenerator.Percentile(all, 0.99), all[^1], all);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"p50 {P50Ms:F2} ms, p99 {P99Ms:F2} ms, max {MaxMs:F1} ms ({Requests} requests, {Failures} failed)");
}

/// <summary>A small HTTP load generator: a closed loop for throughput, an open loop for latency at a set rate.</summary>
public static class LoadGenerator
{
    private static readonly HttpClient Client = new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = 512,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
    })
    { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Runs both targets until the JIT has settled (tiered compilation takes several seconds of load).</summary>
    public static async Task WarmUpAsync(IEnumerable<Uri> targets, int concurrency, TimeSpan eachFor)
    {
        foreach (var target in targets)
        {
            await SaturateAsync(target, concurrency, eachFor);
        }
    }

    /// <summary>Requests per second that <paramref name="concurrency"/> clients, each waiting for its answer, get.</summary>
    public static async Task<double> SaturateAsync(Uri target, int concurrency, TimeSpan duration)
    {
        var completed = 0;
        var failed = 0;
        var stopwatch = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (stopwatch.Elapsed < duration)
            {
                if (await SendAsync(target))
                {
                    Interlocked.Increment(ref completed);
                }
                else
                {
                    Interlocked.Increment(ref failed);
                }
            }
        });
        await Task.WhenAll(workers);
        if (failed > 0)
        {
            Console.WriteLine($"    {failed} requests to {target} failed");
        }

        return completed / stopwatch.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Sends at a fixed rate whatever the answers' speed, and times each request from when it was due, so a slow
    /// answer cannot hide the requests queued behind it (no coordinated omission).
    /// </summary>
    public static async Task<LatencySummary> AtRateAsync(Uri target, double requestsPerSecond, TimeSpan duration)
    {
        var total = (int)(requestsPerSecond * duration.TotalSeconds);
        var latencies = new double[total];
        var failures = 0;
        var inFlight = new List<Task>(total);
        var stopwatch = Stopwatch.StartNew();
        for (var i = 0; i < total; i++)
        {
            var due = i / requestsPerSecond;
            while (stopwatch.Elapsed.TotalSeconds < due)
            {
                await Task.Delay(1);
            }

            var index = i;
            inFlight.Add(Task.Run(async () =>
            {
                var ok = await SendAsync(target);
                latencies[index] = (stopwatch.Elapsed.TotalSeconds - due) * 1000;
                if (!ok)
                {
                    Interlocked.Increment(ref failures);
                }
            }));
        }

        await Task.WhenAll(inFlight);
        Array.Sort(latencies);
        return new LatencySummary(total, failures, Percentile(latencies, 0.50), Percentile(latencies, 0.99), latencies[^1], latencies);
    }

    public static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private static async Task<bool> SendAsync(Uri target)
    {
        try
        {
            using var response = await Client.GetAsync(target, HttpCompletionOption.ResponseContentRead);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException)
        {
            return false;
        }
    }
}
