using System.Diagnostics;

namespace Marketplace.AppHost;

/// <summary>
/// One process of the local run, started again (by <see cref="LocalMarketplace"/>) when it exits on its own. Its log
/// file is started afresh by the run and added to by each restart, so the crash's last lines stay above the new start.
/// </summary>
internal sealed class SupervisedProcess(
    string name,
    string fileName,
    IReadOnlyList<string> arguments,
    IReadOnlyDictionary<string, string> environment,
    string workingDirectory,
    string logFile)
{
    private readonly Lock _gate = new();
    private Process? _current;
    private bool _stopped;

    public string Name => name;

    /// <summary>The process now running (or the one that just exited, until it is restarted).</summary>
    public Process Current
    {
        get
        {
            lock (_gate)
            {
                return _current ?? throw new InvalidOperationException($"{name} was never started.");
            }
        }
    }

    /// <summary>Exits without a minute of uptime between them; reset once it stays up.</summary>
    public int CrashesInARow { get; set; }

    public Task Supervision { get; set; } = Task.CompletedTask;

    /// <summary>A helper the marketplace works without (the telemetry dashboard): its crashes never stop the run's start.</summary>
    public bool IsOptional { get; init; }

    public Process Start(bool firstTime)
    {
        // The shell only opens the log file and then becomes the process (exec): the process is the service's own,
        // and a signal to its pid reaches the service itself.
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, WorkingDirectory = workingDirectory };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(firstTime ? "log=\"$1\"; shift; exec \"$@\" > \"$log\" 2>&1 < /dev/null" : "log=\"$1\"; shift; exec \"$@\" >> \"$log\" 2>&1 < /dev/null");
        info.ArgumentList.Add("sh");
        info.ArgumentList.Add(logFile);
        info.ArgumentList.Add(fileName);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"{name} did not start.");
        lock (_gate)
        {
            _current = process;
        }

        return process;
    }

    /// <summary>
    /// Starts it again after an exit; null when the run is stopping (nothing is started then). When the start itself
    /// fails, the exited process stays current, so the supervisor sees it exit again at once and retries after its delay.
    /// </summary>
    public Process? Restart(CancellationToken stopping)
    {
        Process? exited;
        lock (_gate)
        {
            if (_stopped || stopping.IsCancellationRequested)
            {
                return null;
            }

            exited = _current;
        }

        // Started outside the lock: a stop that came in meanwhile did not see it, so it ends here (it has done nothing yet).
        var process = Start(firstTime: false);
        exited?.Dispose();
        lock (_gate)
        {
            if (_stopped)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        return process;
    }

    /// <summary>No more restarts; returns the process to stop, if one runs.</summary>
    public Process? Stop()
    {
        lock (_gate)
        {
            _stopped = true;
            return _current;
        }
    }
}
