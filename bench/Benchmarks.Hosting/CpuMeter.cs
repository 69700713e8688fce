using System.Globalization;

namespace Marketplace.Benchmarks.Hosting;

/// <summary>
/// CPU time used so far by each part of a benchmark's system (each service, PostgreSQL, RabbitMQ, the load generator),
/// read from <c>/proc</c>: a process counts for the part whose root process it descends from. The difference of two
/// readings over a scenario says which part a unit of work costs most in.
/// </summary>
public static class CpuMeter
{
    private const double TicksPerSecond = 100; // USER_HZ on Linux

    /// <param name="roots">Each part's root processes: a process id, or null for "any process whose command line contains the text".</param>
    public static Dictionary<string, double> Read(IReadOnlyList<(string Part, int? ProcessId, string? CommandLineContains)> roots)
    {
        ArgumentNullException.ThrowIfNull(roots);
        var processes = new Dictionary<int, (int Parent, long Ticks)>();
        var partOf = new Dictionary<int, string>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                // The command name may hold spaces and parentheses: the fields that follow start after the last ')'.
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var parent = int.Parse(fields[1], CultureInfo.InvariantCulture);
                // utime + stime, and cutime + cstime: what its children used before they ended and were reaped. Without
                // the latter a PostgreSQL backend that ended during a scenario took its CPU with it (the hot-row
                // measurement's 16 connections close just as the next scenario starts: PostgreSQL's share came out negative).
                var ticks = fields.Skip(11).Take(4).Sum(f => long.Parse(f, CultureInfo.InvariantCulture));
                processes[pid] = (parent, ticks);
                foreach (var (part, processId, contains) in roots)
                {
                    if (processId == pid || (contains is not null && File.ReadAllText(Path.Combine(directory, "cmdline")).Contains(contains, StringComparison.Ordinal)))
                    {
                        partOf[pid] = part;
                        break;
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
                // The process ended while being read.
            }
        }

        var seconds = roots.Select(r => r.Part).Distinct().ToDictionary(p => p, _ => 0.0);
        foreach (var (pid, (_, ticks)) in processes)
        {
            var current = pid;
            for (var depth = 0; depth < 16 && current > 1; depth++)
            {
                if (partOf.TryGetValue(current, out var part))
                {
                    seconds[part] += ticks / TicksPerSecond;
                    break;
                }

                current = processes.TryGetValue(current, out var p) ? p.Parent : 0;
            }
        }

        return seconds;
    }
}
