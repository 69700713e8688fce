using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Marketplace.LocalInfrastructure;

internal static class ProcessRunner
{
    public static bool IsRoot => Environment.UserName == "root";

    /// <summary>Runs a command to completion and returns its output; throws with the output when it fails.</summary>
    public static async Task<string> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        IDictionary<string, string>? environment = null,
        string? runAsUser = null,
        TimeSpan? timeout = null,
        bool throwOnFailure = true,
        string? workingDirectory = null,
        CancellationToken cancellationToken = default)
    {
        using var process = new Process { StartInfo = CreateStartInfo(fileName, arguments, environment, runAsUser, workingDirectory) };
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout ?? TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeoutSource.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{fileName} {string.Join(' ', arguments)}' did not finish in time.\n{output}");
        }

        if (throwOnFailure && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{fileName} {string.Join(' ', arguments)}' exited with {process.ExitCode}.\n{output}");
        }

        return output.ToString();
    }

    /// <summary>Starts a long-running process whose output goes to a log file.</summary>
    public static Process StartLogged(string fileName, IEnumerable<string> arguments, string logFile, IDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var process = new Process { StartInfo = CreateStartInfo(fileName, arguments, environment, null, workingDirectory), EnableRaisingEvents = true };
        var log = new StreamWriter(logFile, append: true) { AutoFlush = true };
        var closed = false;
        // Output read before the exit can still be delivered after it: once the log is closed, it is dropped. Writing
        // it would throw on a thread-pool thread and take the whole process (a test host) down.
        void Write(string? line)
        {
            lock (log)
            {
                if (line is not null && !closed)
                {
                    log.WriteLine(line);
                }
            }
        }

        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.Exited += (_, _) =>
        {
            lock (log)
            {
                closed = true;
                log.Dispose();
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static ProcessStartInfo CreateStartInfo(string fileName, IEnumerable<string> arguments, IDictionary<string, string>? environment, string? runAsUser, string? workingDirectory)
    {
        var info = new ProcessStartInfo
        {
            WorkingDirectory = workingDirectory ?? string.Empty,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (runAsUser is not null)
        {
            info.FileName = "runuser";
            info.ArgumentList.Add("-u");
            info.ArgumentList.Add(runAsUser);
            info.ArgumentList.Add("--");
            info.ArgumentList.Add(fileName);
        }
        else
        {
            info.FileName = fileName;
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        return info;
    }
}

public static class FreePorts
{
    private static readonly Lock Gate = new();
    private static readonly HashSet<int> Handed = [];

    // Open and locked for the life of the process: the lock is the claim, and the kernel lets it go when the process ends.
    private static readonly List<FileStream> Claims = [];

    /// <summary>
    /// A TCP port nothing listens on right now, below the kernel's range for outgoing connections: a port
    /// from that range can be taken by any client socket between this check and the server's bind.
    /// </summary>
    public static int Next()
    {
        var (ephemeralStart, _) = EphemeralRange();
        var upper = Math.Min(ephemeralStart, 32768);
        // A machine whose outgoing range starts low still gets ports below it.
        var lower = Math.Max(1024, Math.Min(20000, upper - 2000));
        return Next(lower, upper, ClaimDirectory);
    }

    /// <summary>
    /// A free port in [<paramref name="lower"/>, <paramref name="upper"/>) that no other process has claimed in
    /// <paramref name="claimDirectory"/>. Test processes run side by side and a server binds its port seconds after
    /// it was picked (RabbitMQ), so a check that the port is free is not enough: two processes picked the same one.
    /// </summary>
    public static int Next(int lower, int upper, string claimDirectory)
    {
        lock (Gate)
        {
            for (var attempt = 0; attempt < 1000; attempt++)
            {
                var port = Random.Shared.Next(lower, upper);
                if (Handed.Contains(port))
                {
                    continue;
                }

                if (IsFree(port) && Claim(port, claimDirectory))
                {
                    Handed.Add(port);
                    return port;
                }
            }
        }

        throw new InvalidOperationException($"No free TCP port found between {lower} and {upper}.");
    }

    /// <summary>One folder per user for the whole machine (not the temporary folder, which each test run may set apart).</summary>
    public static string ClaimDirectory =>
        OperatingSystem.IsWindows()
            ? Path.Combine(Path.GetTempPath(), "marketplace-ports")
            : Path.Combine("/tmp", $"marketplace-ports-{Environment.UserName}");

    private static bool Claim(int port, string claimDirectory)
    {
        try
        {
            Directory.CreateDirectory(claimDirectory);
            // FileShare.None takes an exclusive lock on the file (flock on Linux), which fails while another process holds it.
            Claims.Add(new FileStream(Path.Combine(claimDirectory, $"{port}.claim"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            // A folder this user cannot write: claims cannot be shared, and the check that the port is free is all there is.
            return true;
        }
    }

    /// <summary>True when nothing listens on <paramref name="port"/> of 127.0.0.1 right now.</summary>
    public static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>
    /// Ports a caller will bind later (a run's planned addresses): <see cref="Next"/> never hands them out, so a server
    /// started first on a free port (RabbitMQ's port mapper) cannot take one that a later process needs.
    /// </summary>
    public static void Reserve(IEnumerable<int> ports)
    {
        ArgumentNullException.ThrowIfNull(ports);
        lock (Gate)
        {
            foreach (var port in ports)
            {
                // Claimed too where it can be, so that no other process hands it out; one already claimed is still kept here.
                if (Handed.Add(port))
                {
                    Claim(port, ClaimDirectory);
                }
            }
        }
    }

    private static (int Start, int End) EphemeralRange()
    {
        try
        {
            var parts = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            return (int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (Exception ex) when (ex is IOException or FormatException or IndexOutOfRangeException or UnauthorizedAccessException)
        {
            return (32768, 60999);
        }
    }
}
