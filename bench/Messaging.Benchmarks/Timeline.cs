using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Marketplace.Messaging.Benchmarks;

/// <summary>
/// --timeline: what this process, the machine and PostgreSQL were doing through the open loop, sampled every 100 ms and
/// printed per half second beside the messages due in it, to find what makes a default run fall behind where a short
/// one keeps up (a collection, a starved thread pool, autovacuum, a checkpoint, the cores themselves).
/// </summary>
internal sealed class Timeline : IAsyncDisposable
{
    private static readonly TimeSpan Every = TimeSpan.FromMilliseconds(100);
    private static readonly double Window = 0.5;

    private readonly List<Sample> _samples = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly NpgsqlConnection _connection;
    private Task? _sampling;

    private Timeline(NpgsqlConnection connection) => _connection = connection;

    public static async Task<Timeline> StartAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var timeline = new Timeline(connection);
        timeline._sampling = Task.Run(timeline.SampleAsync);
        return timeline;
    }

    private sealed record Sample(
        long At, double GcPauseMs, int Gen2, int Threads, long Pending, long MachineBusy, long MachineTotal,
        string Vacuuming, long Checkpoints, long WalBytes, int Waiting, string TopWait, ProcessCpu Cpu, int Connections, long Steal, int Active, string TopStatement);

    /// <summary>Jiffies spent by this process, by PostgreSQL's processes and by RabbitMQ's (beam.smp), since each started.</summary>
    private sealed record ProcessCpu(long Self, long Postgres, long RabbitMq);

    private async Task SampleAsync()
    {
        using var timer = new PeriodicTimer(Every);
        await using var command = new NpgsqlCommand("""
            SELECT coalesce((SELECT string_agg(DISTINCT regexp_replace(query, '^autovacuum: ', ''), '; ')
                             FROM pg_stat_activity WHERE backend_type = 'autovacuum worker' AND query <> ''), ''),
                   (SELECT checkpoints_timed + checkpoints_req FROM pg_stat_bgwriter),
                   pg_current_wal_lsn() - '0/0'::pg_lsn,
                   (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' AND wait_event_type IN ('Lock', 'LWLock'))::int,
                   (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend')::int,
                   coalesce((SELECT wait_event_type || ':' || wait_event || ' x' || count(*) FROM pg_stat_activity
                             WHERE backend_type = 'client backend' AND state = 'active' AND wait_event IS NOT NULL AND wait_event_type <> 'Client'
                             GROUP BY wait_event_type, wait_event ORDER BY count(*) DESC LIMIT 1), ''),
                   (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' AND state = 'active' AND pid <> pg_backend_pid())::int,
                   coalesce((SELECT statement || ' x' || count(*) FROM (
                                 SELECT left(regexp_replace(query, '\s+', ' ', 'g'), 40) AS statement FROM pg_stat_activity
                                 WHERE backend_type = 'client backend' AND state = 'active' AND pid <> pg_backend_pid()) a
                             GROUP BY statement ORDER BY count(*) DESC LIMIT 1), '')
            """, _connection);
        do
        {
            var (busy, total, steal) = MachineCpu();
            string vacuuming;
            long checkpoints, wal;
            int waiting;
            string topWait;
            int connections, active;
            string topStatement;
            await using (var reader = await command.ExecuteReaderAsync())
            {
                await reader.ReadAsync();
                (vacuuming, checkpoints, wal, waiting, topWait) =
                    (reader.GetString(0), reader.GetInt64(1), (long)reader.GetDecimal(2), reader.GetInt32(3), reader.GetString(5));
                connections = reader.GetInt32(4);
                (active, topStatement) = (reader.GetInt32(6), reader.GetString(7));
            }

            _samples.Add(new Sample(
                Stopwatch.GetTimestamp(), GC.GetTotalPauseDuration().TotalMilliseconds, GC.CollectionCount(2), ThreadPool.ThreadCount,
                ThreadPool.PendingWorkItemCount, busy, total, vacuuming, checkpoints, wal, waiting, topWait, ProcessesCpu(), connections, steal, active, topStatement));
        }
        while (await timer.WaitForNextTickAsync(_stop.Token).AsTask().ContinueWith(t => t.Status == TaskStatus.RanToCompletion, TaskScheduler.Default));
    }

    /// <summary>
    /// Jiffies the cores were busy, in all, and stolen (a virtual machine's cores given to another guest meanwhile),
    /// from the kernel's own count.
    /// </summary>
    private static (long Busy, long Total, long Steal) MachineCpu()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var idle = fields[3] + fields[4];
        var total = fields.Take(8).Sum();
        return (total - idle, total, fields[7]);
    }

    private static ProcessCpu ProcessesCpu()
    {
        long self = 0, postgres = 0, rabbitMq = 0;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            var pid = Path.GetFileName(directory);
            if (!pid.All(char.IsAsciiDigit))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(directory, "stat"));
            }
            catch (IOException)
            {
                continue; // ended meanwhile
            }

            // "pid (comm) state ppid ...": utime and stime are the 14th and 15th fields, the 12th and 13th after the name.
            var close = stat.LastIndexOf(')');
            var name = stat[(stat.IndexOf('(') + 1)..close];
            var fields = stat[(close + 2)..].Split(' ');
            var jiffies = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            if (pid == Environment.ProcessId.ToString(CultureInfo.InvariantCulture))
            {
                self += jiffies;
            }
            else if (name == "postgres")
            {
                postgres += jiffies;
            }
            else if (name.StartsWith("beam", StringComparison.Ordinal))
            {
                rabbitMq += jiffies;
            }
        }

        return new ProcessCpu(self, postgres, rabbitMq);
    }

    /// <summary>One row per half second of the phase: the messages due in it and what was going on meanwhile.</summary>
    public void Print(long start, long[] dueAt, long[] startedAt, long[] consumedAt, int count)
    {
        Console.WriteLine();
        // Stopwatch's ticks are CLOCK_MONOTONIC's nanoseconds on Linux: `perf record -k CLOCK_MONOTONIC` samples line up with the rows.
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Open loop from CLOCK_MONOTONIC {start * 1.0 / Stopwatch.Frequency:F3} s."));
        Console.WriteLine("| s | due | p99 due to consumed | late start max | GC pause | gen2 | pool threads | queued work max | cores busy | stolen | this process / PostgreSQL / RabbitMQ (% of a core) | PostgreSQL connections max | active max | most active statement | waiting on a lock max | most waited on | checkpoints | WAL | autovacuum |");
        Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | --- | ---: | ---: | --- |");
        var windows = (int)Math.Ceiling(Paths.Ms(start, dueAt[Math.Max(0, count - 1)]) / 1000 / Window) + 1;
        for (var w = 0; w < windows; w++)
        {
            var from = start + (long)(w * Window * Stopwatch.Frequency);
            var to = start + (long)((w + 1) * Window * Stopwatch.Frequency);
            var due = Enumerable.Range(0, count).Where(i => dueAt[i] >= from && dueAt[i] < to).ToArray();
            var total = due.Where(i => consumedAt[i] != 0).Select(i => Paths.Ms(dueAt[i], consumedAt[i])).Order().ToArray();
            var late = due.Length == 0 ? 0 : due.Max(i => Paths.Ms(dueAt[i], startedAt[i]));
            var inWindow = _samples.Where(s => s.At >= from && s.At < to).ToList();
            if (inWindow.Count == 0)
            {
                continue;
            }

            var before = _samples.LastOrDefault(s => s.At < from) ?? inWindow[0];
            var last = inWindow[^1];
            var busy = 100.0 * (last.MachineBusy - before.MachineBusy) / Math.Max(1, last.MachineTotal - before.MachineTotal);
            // Per core: the machine's jiffies count every core's, so one core's share of them is total / cores.
            var perCore = (double)Math.Max(1, last.MachineTotal - before.MachineTotal) / Environment.ProcessorCount;
            string Share(Func<ProcessCpu, long> of) => (100.0 * (of(last.Cpu) - of(before.Cpu)) / perCore).ToString("F0", CultureInfo.InvariantCulture);
            var waits = inWindow.Select(s => s.TopWait).Where(v => v.Length > 0).ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {w * Window:F1} | {due.Length} | {Format.P(total, 0.99):F1} ms | {late:F1} ms | {last.GcPauseMs - before.GcPauseMs:F1} ms | {last.Gen2 - before.Gen2} | "
                + $"{inWindow.Max(s => s.Threads)} | {inWindow.Max(s => s.Pending)} | {busy:F0} % | {100.0 * (last.Steal - before.Steal) / Math.Max(1, last.MachineTotal - before.MachineTotal):F0} % | {Share(c => c.Self)} / {Share(c => c.Postgres)} / {Share(c => c.RabbitMq)} | {inWindow.Max(s => s.Connections)} | {inWindow.Max(s => s.Active)} | {inWindow.MaxBy(s => s.Active)!.TopStatement.Replace("|", "\\|", StringComparison.Ordinal)} | {inWindow.Max(s => s.Waiting)} | {string.Join(", ", waits.Distinct().Take(2))} | {last.Checkpoints - before.Checkpoints} | "
                + $"{(last.WalBytes - before.WalBytes) / 1_048_576.0:F1} MB | {string.Join("; ", inWindow.Select(s => s.Vacuuming).Where(v => v.Length > 0).Distinct())} |"));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_sampling is not null)
        {
            await _sampling;
        }

        await _connection.DisposeAsync();
        _stop.Dispose();
    }
}
