using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using MassTransit;
using Marketplace.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Marketplace.Messaging.Benchmarks;

/// <summary>
/// A closed loop's figures. The senders stop after the set duration and the consumer catches up: the rate is over the
/// whole, and the split (while sending, after) shows a path whose delivery falls behind its writers.
/// </summary>
internal sealed record ThroughputResult(
    string Name,
    int Messages,
    double Seconds,
    double[] SendMs,
    int Missing,
    int Duplicates,
    double CpuUsPerMessage,
    long Claims,
    long Dispatched,
    double SendingSeconds,
    int ConsumedWhileSending,
    double CpuMsWhileSending,
    double CpuMsAfter,
    DispatcherDetail? WhileSending = null,
    DispatcherDetail? After = null)
{
    public double PerSecond => Messages / Seconds;

    public double SentPerSecond => Messages / SendingSeconds;

    public double ConsumedPerSecondWhileSending => ConsumedWhileSending / SendingSeconds;

    public double ConsumedPerSecondAfter => (Messages - ConsumedWhileSending) / Math.Max(1e-9, Seconds - SendingSeconds);
}

/// <summary>The dispatcher's publishes and claims over part of a closed loop (with --probe); arrays sorted, in milliseconds.</summary>
internal sealed record DispatcherDetail(double[] PublishMs, double[] GapBetweenPublishesMs, double[] ClaimMs)
{
    public static DispatcherDetail Between(DispatcherProbe probe, long from, long to)
    {
        var publishes = probe.Publishes.Values.Where(p => p.Start >= from && p.Start < to).OrderBy(p => p.Start).ToArray();
        return new DispatcherDetail(
            [.. publishes.Select(p => Paths.Ms(p.Start, p.Stop)).Order()],
            [.. publishes.Zip(publishes.Skip(1), (a, b) => Paths.Ms(a.Start, b.Start)).Order()],
            [.. probe.ClaimQueries.Where(c => c.Start >= from && c.Start < to).Select(c => Paths.Ms(c.Start, c.Stop)).Order()]);
    }
}

/// <summary>The open loop's figures; every array is sorted, in milliseconds.</summary>
internal sealed record LatencyResult(
    double Rate,
    int Messages,
    int Missing,
    int Duplicates,
    double MaxScheduleLagMs,
    double[] TotalMs,
    double[] WriteMs,
    double[] WaitForDispatchMs,
    double[] WakeUpMs,
    double[] ClaimOfMessageMs,
    double[] AheadInBatchMs,
    double[] PublishMs,
    double[] PublishToConsumedMs,
    double[] ClaimMs,
    double[] MarkDeliveredMs,
    double[] InsertMs,
    long Claims,
    long Dispatched);

/// <summary>The two ways a message reaches the consumer, driven as a closed loop for throughput and an open loop for latency.</summary>
internal sealed class Paths(IServiceProvider services, DispatcherProbe probe, int keys, int maxBacklog, bool probeThroughput)
{
    // Generous: a closed loop stops early (and says so) only if this machine published faster than this.
    private const int MaxMessagesPerSecond = 25_000;
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromMinutes(10);

    private readonly Deliveries _deliveries = services.GetRequiredService<Deliveries>();
    private readonly IBus _bus = services.GetRequiredService<IBus>();

    /// <summary>Straight to the broker: MassTransit's publish, awaited until the broker confirms it.</summary>
    public Task<ThroughputResult> BusOnlyAsync(string name, int concurrency, TimeSpan duration) =>
        ClosedLoopAsync(name, concurrency, duration, throughDispatcher: false, send: async (run, message) =>
        {
            await _bus.Publish(message);
            run.WrittenAt[message.Index] = Stopwatch.GetTimestamp();
        });

    /// <summary>As a service publishes: the message saved to the outbox in the DbContext's own transaction, delivered by the dispatcher.</summary>
    public Task<ThroughputResult> OutboxAsync(string name, int concurrency, TimeSpan duration, bool explainClaim = false) =>
        ClosedLoopAsync(name, concurrency, duration, throughDispatcher: true, WriteToOutboxAsync, explainClaim);

    /// <summary>
    /// N senders, each sending its next message as soon as the last one is accepted, for <paramref name="duration"/>;
    /// the rate is every message sent over the time until the consumer had the last of them.
    /// </summary>
    private async Task<ThroughputResult> ClosedLoopAsync(string name, int concurrency, TimeSpan duration, bool throughDispatcher, Func<Run, BenchmarkMessage, Task> send, bool explainClaim = false)
    {
        var run = _deliveries.Begin((int)Math.Min(int.MaxValue / 2, MaxMessagesPerSecond * duration.TotalSeconds));
        var (claims, dispatched) = probe.Counters;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        // Off by default: the activities cost the outbox path a little CPU the bus-only path does not pay.
        var probing = throughDispatcher && (probeThroughput || explainClaim);
        if (probing)
        {
            probe.StartRecording();
        }

        // Not disposed: a message of this run consumed late would release it after the phase.
        var room = new SemaphoreSlim(maxBacklog);
        run.OnConsumed = () => room.Release();
        var start = Stopwatch.GetTimestamp();
        var full = false;
        var heldBack = 0L;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (Stopwatch.GetElapsedTime(start) < duration)
            {
                // A writer runs ahead of the consumer only so far: beyond that, the phase would measure how fast an
                // ever larger backlog drains (the claim's cost grows with it) rather than the path's rate. It sleeps
                // until the consumer makes room (asking every millisecond instead took CPU from the path measured).
                if (!room.Wait(0))
                {
                    Interlocked.Increment(ref heldBack);
                    if (!await room.WaitAsync(TimeSpan.FromMilliseconds(100)))
                    {
                        continue;
                    }
                }

                var index = run.Next();
                if (index < 0)
                {
                    full = true;
                    return;
                }

                var now = Stopwatch.GetTimestamp();
                run.DueAt[index] = now;
                await send(run, NewMessage(run, index, now));
            }
        })));
        var stoppedSending = Stopwatch.GetTimestamp();
        var sendingSeconds = Stopwatch.GetElapsedTime(start, stoppedSending).TotalSeconds;
        var consumedWhileSending = run.Consumed;
        var cpuWhileSending = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        var sent = run.Issued;
        if (full)
        {
            Console.WriteLine($"  {name}: stopped at {sent} messages, the most this run records");
        }

        if (heldBack > 0)
        {
            Console.WriteLine(FormattableString.Invariant($"  {name}: the senders reached the limit of {maxBacklog} messages not yet consumed and waited for room {heldBack} times over all {concurrency}"));
        }

        if (explainClaim)
        {
            await ExplainClaimAsync(sent - run.Consumed);
        }

        var missing = await DrainAsync(name, run, sent);
        var seconds = Stopwatch.GetElapsedTime(start, run.LastConsumedAt).TotalSeconds;
        var cpuTotal = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        var cpuUs = cpuTotal.TotalMicroseconds / Math.Max(1, sent);
        if (throughDispatcher)
        {
            await SettleAsync(dispatched + run.Consumed);
        }

        var (claimsAfter, dispatchedAfter) = probe.Counters;
        probe.StopRecording();
        var sendMs = Enumerable.Range(0, sent).Select(i => Ms(run.DueAt[i], run.WrittenAt[i])).Order().ToArray();
        var result = new ThroughputResult(
            name,
            run.Consumed,
            seconds,
            sendMs,
            missing,
            run.Duplicates,
            cpuUs,
            claimsAfter - claims,
            dispatchedAfter - dispatched,
            sendingSeconds,
            consumedWhileSending,
            cpuWhileSending.TotalMilliseconds,
            (cpuTotal - cpuWhileSending).TotalMilliseconds,
            probing ? DispatcherDetail.Between(probe, start, stoppedSending) : null,
            probing ? DispatcherDetail.Between(probe, stoppedSending, long.MaxValue) : null);
        Console.WriteLine(FormattableString.Invariant($"  {name}: {run.Consumed} messages consumed in {seconds:F1} s, {result.PerSecond:F0}/s"));
        return result;
    }

    /// <summary>
    /// Writes to the outbox at a fixed rate whatever the path's speed, each message timed from when it was due, so a
    /// slow moment cannot hide the messages queued behind it (no coordinated omission).
    /// </summary>
    /// <param name="timelineConnection">With --timeline: the database to sample beside the phase (see <see cref="Timeline"/>).</param>
    public async Task<LatencyResult> OutboxAtRateAsync(double rate, TimeSpan duration, string? timelineConnection = null)
    {
        var total = Math.Max(1, (int)(rate * duration.TotalSeconds));
        var run = _deliveries.Begin(total);
        var startedAt = new long[total];
        var timeline = timelineConnection is null ? null : await Timeline.StartAsync(timelineConnection);
        var (claims, dispatched) = probe.Counters;
        probe.StartRecording();
        var writes = new List<Task>(total);
        var maxLag = 0L;
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < total; i++)
        {
            var due = start + (long)(i * (Stopwatch.Frequency / rate));
            while (Stopwatch.GetTimestamp() < due)
            {
                await Task.Delay(1);
            }

            var started = Stopwatch.GetTimestamp();
            maxLag = Math.Max(maxLag, started - due);
            var index = run.Next();
            startedAt[index] = started;
            run.DueAt[index] = due;
            var message = NewMessage(run, index, due);
            writes.Add(Task.Run(() => WriteToOutboxAsync(run, message)));
        }

        await Task.WhenAll(writes);
        var missing = await DrainAsync("latency", run, total);
        await SettleAsync(dispatched + run.Consumed);
        probe.StopRecording();
        if (timeline is not null)
        {
            await timeline.DisposeAsync();
            timeline.Print(start, run.DueAt, startedAt, run.ConsumedAt, total);
        }

        var (claimsAfter, dispatchedAfter) = probe.Counters;
        var claimQueries = probe.ClaimQueries.OrderBy(c => c.Start).ToArray();
        var claimStarts = claimQueries.Select(c => c.Start).ToArray();

        var totalMs = new List<double>();
        var writeMs = new List<double>();
        var waitMs = new List<double>();
        var wakeUpMs = new List<double>();
        var claimOfMessageMs = new List<double>();
        var aheadMs = new List<double>();
        var publishMs = new List<double>();
        var toConsumerMs = new List<double>();
        for (var i = 0; i < total; i++)
        {
            if (run.ConsumedAt[i] == 0)
            {
                continue;
            }

            totalMs.Add(Ms(run.DueAt[i], run.ConsumedAt[i]));
            writeMs.Add(Ms(run.DueAt[i], run.WrittenAt[i]));
            if (probe.Publishes.TryGetValue(run.MessageIds[i], out var publish))
            {
                waitMs.Add(Ms(run.WrittenAt[i], publish.Start));
                publishMs.Add(Ms(publish.Start, publish.Stop));
                toConsumerMs.Add(Ms(publish.Start, run.ConsumedAt[i]));

                // The claim that handed this message over is the dispatcher's last one to start before its publish
                // (a claim sees only rows committed before it starts, and one dispatcher claims, publishes, commits in turn).
                var claim = Array.BinarySearch(claimStarts, publish.Start);
                claim = claim >= 0 ? claim : ~claim - 1;
                if (claim >= 0)
                {
                    wakeUpMs.Add(Ms(run.WrittenAt[i], claimQueries[claim].Start));
                    claimOfMessageMs.Add(Ms(claimQueries[claim].Start, claimQueries[claim].Stop));
                    aheadMs.Add(Ms(claimQueries[claim].Stop, publish.Start));
                }
            }
        }

        return new LatencyResult(
            rate,
            total,
            missing,
            run.Duplicates,
            maxLag * 1000.0 / Stopwatch.Frequency,
            [.. totalMs.Order()],
            [.. writeMs.Order()],
            [.. waitMs.Order()],
            [.. wakeUpMs.Order()],
            [.. claimOfMessageMs.Order()],
            [.. aheadMs.Order()],
            [.. publishMs.Order()],
            [.. toConsumerMs.Order()],
            [.. claimQueries.Select(c => Ms(c.Start, c.Stop)).Order()],
            [.. probe.MarkDeliveredMs.Order()],
            [.. probe.InsertMs.Order()],
            claimsAfter - claims,
            dispatchedAfter - dispatched);
    }

    /// <summary>
    /// Vacuums and analyses the outbox table, as autovacuum does between bursts: without it, a phase would pay for the
    /// dead index entries and stale statistics the previous phase's tens of thousands of rows left (--no-vacuum shows that).
    /// </summary>
    public async Task VacuumOutboxAsync()
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BenchmarkDbContext>();
        await db.Database.ExecuteSqlRawAsync($"VACUUM (ANALYZE) \"{BenchmarkDbContext.Schema}\".\"{MessagingModelBuilderExtensions.OutboxTable}\"");
    }

    /// <summary>
    /// The dispatcher's own claim query, as Npgsql last sent it, under EXPLAIN (ANALYZE, BUFFERS) while the backlog the
    /// writers left is at its largest; in a transaction rolled back, so the rows it locks are released at once.
    /// </summary>
    private async Task ExplainClaimAsync(int backlog)
    {
        if (probe.ClaimSql is not { } sql)
        {
            Console.WriteLine("  (no claim query was seen to explain)");
            return;
        }

        var batchSize = services.GetRequiredService<IOptions<OutboxOptions>>().Value.BatchSize.ToString(CultureInfo.InvariantCulture);
        var query = Regex.Replace(sql, @"\$1\b|@batch_size\b", batchSize);
        await using var scope = services.CreateAsyncScope();
        var connectionString = scope.ServiceProvider.GetRequiredService<BenchmarkDbContext>().Database.GetConnectionString();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand("EXPLAIN (ANALYZE, BUFFERS) " + query, connection, transaction);
        Console.WriteLine($"  Claim query with about {backlog} messages pending:");
        Console.WriteLine("  ```");
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                Console.WriteLine("  " + reader.GetString(0));
            }
        }

        Console.WriteLine("  ```");
        await transaction.RollbackAsync();
    }

    private async Task WriteToOutboxAsync(Run run, BenchmarkMessage message)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BenchmarkDbContext>();
        var outbox = scope.ServiceProvider.GetRequiredService<IOutbox>();
        outbox.Publish(message, OrderingKey(message));
        await db.SaveChangesAsync();
        run.WrittenAt[message.Index] = Stopwatch.GetTimestamp();
    }

    // By default every message is its own aggregate's (as orders are); --keys N spreads them over N aggregates, so
    // a message may wait for an older one of its key.
    private string OrderingKey(BenchmarkMessage message) =>
        keys > 0 ? $"aggregate-{message.Index % keys}" : message.OrderId.ToString();

    private static BenchmarkMessage NewMessage(Run run, int index, long due) =>
        new(run.Id, index, due, Guid.NewGuid(), DateTimeOffset.UtcNow);

    /// <summary>
    /// The dispatcher counts a batch once its transaction commits, which may be just after the consumer had it: waits
    /// (briefly) for the count, so that one phase's last batch is not counted in the next.
    /// </summary>
    private async Task SettleAsync(long dispatched)
    {
        var waited = Stopwatch.StartNew();
        while (probe.Counters.Dispatched < dispatched && waited.Elapsed < TimeSpan.FromSeconds(2))
        {
            await Task.Delay(5);
        }
    }

    /// <summary>Waits until the consumer has every message sent; returns how many never came.</summary>
    private static async Task<int> DrainAsync(string name, Run run, int sent)
    {
        var waited = Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;
        while (run.Consumed < sent && waited.Elapsed < DrainTimeout)
        {
            if (waited.Elapsed - lastReport >= TimeSpan.FromSeconds(15))
            {
                lastReport = waited.Elapsed;
                Console.WriteLine($"  {name}: {run.Consumed} of {sent} consumed so far");
            }

            await Task.Delay(5);
        }

        var missing = sent - run.Consumed;
        if (missing > 0)
        {
            Console.WriteLine($"  {name}: {missing} of {sent} messages never reached the consumer within {DrainTimeout.TotalMinutes} minutes");
        }

        return missing;
    }

    public static double Ms(long from, long to) => (to - from) * 1000.0 / Stopwatch.Frequency;
}
