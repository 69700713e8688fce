using System.Globalization;
using Marketplace.LocalInfrastructure;
using Marketplace.Messaging.Benchmarks;
using Microsoft.Extensions.Hosting;

// A message through the service's outbox against the same message published straight on the bus, to the same consumer
// on the same broker, in one run: throughput of each (closed loops), then the outbox path's latency in an open loop at
// half of its saturation rate. Usage:
//   dotnet run -c Release --project bench/Messaging.Benchmarks [-- --quick | --seconds 20 --concurrency 16 --warm-up 5
//     --latency-seconds 20 --keys 0 --max-backlog 5000 --durable --probe --explain --no-vacuum --notify-every-commit
//     --multiplexing --latency-rate N --timeline --max-pool-size N]
// --latency-rate N runs the open loop at N messages/s instead of half the outbox path's saturation;
// --keys N spreads the outbox messages over N ordering keys (0: a key of their own each); --max-backlog N holds the
// senders back while N of their messages are not yet consumed (a dispatcher that keeps up never meets it);
// --durable runs PostgreSQL with fsync and synchronous commit on (off by default, as in the other benchmarks);
// --probe also times the dispatcher's publishes and claims in the outbox throughput phase (the latency phase always does);
// --explain prints the plan of the dispatcher's claim query once the writers of the outbox phase have stopped;
// --no-vacuum leaves the outbox table between phases to autovacuum alone;
// --notify-every-commit installs the outbox trigger as it was before the dispatching replica's own commits stopped
// notifying (each writer's commit a notification, as a replica without a dispatcher still sends);
// --multiplexing turns on Npgsql's multiplexing (an experiment: docs/benchmarks.md, "Multiplexed connections").
// --max-pool-size N sets the connection pool's size for the writers and the dispatcher alike (without it, the services'
// default, MessagingExtensions.DefaultMaxPoolSize; 100 is Npgsql's own, which the services had before 2026-12-03);
// --timeline prints the open loop per half second beside the process's collections and thread pool, the cores' load and
// stolen time, the CPU of this process, PostgreSQL and RabbitMQ, and PostgreSQL's connections, lock waits, checkpoints,
// WAL and autovacuum workers.
var quick = args.Contains("--quick");
var seconds = Arguments.Int(args, "--seconds", quick ? 5 : 20);
var latencySeconds = Arguments.Int(args, "--latency-seconds", seconds);
var warmUp = Arguments.Int(args, "--warm-up", quick ? 2 : 5);
var concurrency = Arguments.Int(args, "--concurrency", 16);
var keys = Arguments.Int(args, "--keys", 0);
var maxBacklog = Arguments.Int(args, "--max-backlog", 5_000);
var durable = args.Contains("--durable");
var probeThroughput = args.Contains("--probe");
var explain = args.Contains("--explain");
var vacuum = !args.Contains("--no-vacuum");
var notifyEveryCommit = args.Contains("--notify-every-commit");
var multiplexing = args.Contains("--multiplexing");
var latencyRate = Arguments.Int(args, "--latency-rate", 0);
var timeline = args.Contains("--timeline");
var maxPoolSize = Arguments.Int(args, "--max-pool-size", 0);
Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}; {seconds} s per phase, {concurrency} senders, "
    + $"{(keys > 0 ? $"{keys} ordering keys" : "an ordering key per message")}, PostgreSQL {(durable ? "durable" : "without fsync")}, "
    + $"outbox table {(vacuum ? "vacuumed before each phase" : "left to autovacuum")}"
    + (notifyEveryCommit ? ", every commit notifying" : "")
    + (multiplexing ? ", connections multiplexed" : "")
    + (maxPoolSize > 0 ? FormattableString.Invariant($", at most {maxPoolSize} connections") : ""));

// Each server deletes its own folder when disposed.
var folder = Path.Combine(Path.GetTempPath(), "marketplace-bench", "messaging-" + Guid.NewGuid().ToString("N"));
await using var postgres = await PostgresServer.StartAsync(folder + "-postgres", durable: durable, deleteOnDispose: true);
await using var rabbit = await RabbitMqServer.StartAsync(folder + "-rabbitmq", deleteOnDispose: true);
using var probe = new DispatcherProbe();
var databaseConnectionString = postgres.ConnectionString("bench_messaging") + (multiplexing ? ";Multiplexing=true" : "")
    + (maxPoolSize > 0 ? FormattableString.Invariant($";Maximum Pool Size={maxPoolSize}") : "");
using var host = await BenchmarkHost.StartAsync(databaseConnectionString, rabbit.ConnectionString(), notifyEveryCommit);
try
{
    var paths = new Paths(host.Services, probe, keys, maxBacklog, probeThroughput);

    // Both paths until the JIT has settled; the outbox one also gives the table and its indexes their first rows.
    await paths.BusOnlyAsync("warm-up bus-only", concurrency, TimeSpan.FromSeconds(warmUp));
    await paths.OutboxAsync("warm-up outbox", concurrency, TimeSpan.FromSeconds(warmUp));

    // Each phase starts from the steady state autovacuum keeps, not from the dead rows of the phase before.
    async Task SettleTableAsync()
    {
        if (vacuum)
        {
            await paths.VacuumOutboxAsync();
        }
    }

    await SettleTableAsync();
    var bus = await paths.BusOnlyAsync("bus-only", concurrency, TimeSpan.FromSeconds(seconds));
    await SettleTableAsync();
    var outbox = await paths.OutboxAsync("outbox", concurrency, TimeSpan.FromSeconds(seconds), explain);
    var ratio = outbox.PerSecond / bus.PerSecond;

    // --latency-rate compares two builds' latency at the same rate (each run's own half of saturation differs).
    var rate = latencyRate > 0 ? latencyRate : Math.Max(1, outbox.PerSecond / 2);
    Console.WriteLine(Format.Invariant($"  latency: open loop at {rate:F0} messages/s for {latencySeconds} s"));
    await SettleTableAsync();
    var latency = await paths.OutboxAtRateAsync(rate, TimeSpan.FromSeconds(latencySeconds), timeline ? databaseConnectionString : null);
    var p99 = Format.P(latency.TotalMs, 0.99);

    Console.WriteLine();
    Console.WriteLine("| Path | Messages | Messages/s (consumed) | Send p50 / p99 | CPU of this process per message |");
    Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
    Console.WriteLine(Format.Invariant($"| Bus-only: `IBus.Publish` with confirms, {concurrency} publishers | {bus.Messages} | {bus.PerSecond:F0} | {Format.P(bus.SendMs, 0.5):F2} / {Format.P(bus.SendMs, 0.99):F2} ms (publish to confirm) | {bus.CpuUsPerMessage:F0} µs |"));
    Console.WriteLine(Format.Invariant($"| Outbox: `IOutbox.Publish` + `SaveChangesAsync`, {concurrency} writers, dispatcher | {outbox.Messages} | {outbox.PerSecond:F0} | {Format.P(outbox.SendMs, 0.5):F2} / {Format.P(outbox.SendMs, 0.99):F2} ms (write to commit) | {outbox.CpuUsPerMessage:F0} µs |"));
    Console.WriteLine(Format.Invariant($"| **Outbox / bus-only** | | **{ratio:F2}x** (goal: at least 0.5x) | | |"));
    Console.WriteLine();
    foreach (var result in new[] { bus, outbox })
    {
        // Where the consumer kept up with the senders, and where it caught up only after they stopped.
        var left = result.Messages - result.ConsumedWhileSending;
        var cpuWhileSending = Format.Invariant($"CPU of this process {result.CpuMsWhileSending * 1000 / result.Messages:F0} µs per message sent");
        Console.WriteLine(left * 100 < result.Messages
            ? Format.Invariant($"{result.Name}: sent {result.SentPerSecond:F0}/s for {result.SendingSeconds:F1} s, consumed as fast; {cpuWhileSending}.")
            : Format.Invariant($"{result.Name}: sent {result.SentPerSecond:F0}/s for {result.SendingSeconds:F1} s, consumed {result.ConsumedPerSecondWhileSending:F0}/s meanwhile ")
                + Format.Invariant($"and the other {left} at {result.ConsumedPerSecondAfter:F0}/s after; {cpuWhileSending}, {result.CpuMsAfter * 1000 / left:F0} µs per message consumed after."));
    }

    Console.WriteLine(Format.Invariant($"Dispatcher during the outbox phase: {outbox.Dispatched} delivered in {outbox.Claims} claims ({Format.PerClaim(outbox.Dispatched, outbox.Claims)} per claim)."));
    if (outbox is { WhileSending: { } whileSending, After: { } afterSending })
    {
        Console.WriteLine();
        Console.WriteLine("| Dispatcher in the outbox phase (--probe) | while the writers write: p50 | p99 | after: p50 | p99 |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
        Console.WriteLine(Format.Row2("one publish, up to the broker's confirm", whileSending.PublishMs, afterSending.PublishMs));
        Console.WriteLine(Format.Row2("from one publish's start to the next's", whileSending.GapBetweenPublishesMs, afterSending.GapBetweenPublishesMs));
        Console.WriteLine(Format.Row2("claim query", whileSending.ClaimMs, afterSending.ClaimMs));
    }

    Console.WriteLine();
    Console.WriteLine(Format.Invariant($"| Outbox path at {rate:F0} messages/s (open loop, {(latencyRate > 0 ? "--latency-rate" : "half of its saturation")}), {latency.Messages} messages | p50 | p99 | max |"));
    Console.WriteLine("| --- | ---: | ---: | ---: |");
    Console.WriteLine(Format.Row("**Due to consumed** (goal: p99 at most 50 ms)", latency.TotalMs, bold: true));
    Console.WriteLine(Format.Row("due to committed: the writer's transaction", latency.WriteMs));
    Console.WriteLine(Format.Row("committed to the dispatcher publishing it, made of:", latency.WaitForDispatchMs));
    Console.WriteLine(Format.Row("&nbsp;&nbsp;committed to the claim that took it starting (wake-up, the previous batch finishing)", latency.WakeUpMs));
    Console.WriteLine(Format.Row("&nbsp;&nbsp;that claim's query", latency.ClaimOfMessageMs));
    Console.WriteLine(Format.Row("&nbsp;&nbsp;claimed to its publish starting (messages ahead of it in the batch)", latency.AheadInBatchMs));
    Console.WriteLine(Format.Row("one publish, up to the broker's confirm", latency.PublishMs));
    Console.WriteLine(Format.Row("publish started to consumed", latency.PublishToConsumedMs));
    Console.WriteLine(Format.Row("claim query (per claim)", latency.ClaimMs));
    Console.WriteLine(Format.Row("mark-delivered update (per batch)", latency.MarkDeliveredMs));
    Console.WriteLine(Format.Row("outbox insert (per write)", latency.InsertMs));
    Console.WriteLine();
    Console.WriteLine(Format.Invariant($"Dispatcher during the latency phase: {latency.Dispatched} delivered in {latency.Claims} claims ({Format.PerClaim(latency.Dispatched, latency.Claims)} per claim); the load generator started a write at most {latency.MaxScheduleLagMs:F1} ms late."));
    var missing = bus.Missing + outbox.Missing + latency.Missing;
    var duplicates = bus.Duplicates + outbox.Duplicates + latency.Duplicates;
    if (missing > 0 || duplicates > 0)
    {
        Console.WriteLine($"Warning: {missing} messages never consumed, {duplicates} consumed twice.");
    }

    Console.WriteLine(Format.Invariant($"RESULT outbox outbox_per_s={outbox.PerSecond:F1} bus_per_s={bus.PerSecond:F1} ratio={ratio:F2} p99_ms={p99:F1}"));
}
finally
{
    await host.StopAsync();
}

internal static class Arguments
{
    public static int Int(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }
}

internal static class Format
{
    public static string Invariant(FormattableString text) => FormattableString.Invariant(text);

    public static double P(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    public static string Row(string name, double[] sorted, bool bold = false)
    {
        if (sorted.Length == 0)
        {
            return $"| {name} | n/a | n/a | n/a |";
        }

        var p99 = Invariant($"{P(sorted, 0.99):F1} ms");
        return Invariant($"| {name} | {P(sorted, 0.5):F1} ms | {(bold ? $"**{p99}**" : p99)} | {sorted[^1]:F1} ms |");
    }

    public static string Row2(string name, double[] first, double[] second) =>
        Invariant($"| {name} ({first.Length} / {second.Length}) | {P(first, 0.5):F1} ms | {P(first, 0.99):F1} ms | {P(second, 0.5):F1} ms | {P(second, 0.99):F1} ms |");

    public static string PerClaim(long dispatched, long claims) => claims == 0 ? "n/a" : Invariant($"{(double)dispatched / claims:F1}");
}
