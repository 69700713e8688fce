namespace Marketplace.LocalInfrastructure;

/// <summary>
/// A PostgreSQL server from the machine's packages, run as a plain process on its own port and data folder.
/// The server refuses to run as root, so under root it runs as the <c>postgres</c> user.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly string _root;
    private readonly string _binDirectory;
    private readonly bool _deleteOnDispose;
    private bool _durable = true;
    private IReadOnlyDictionary<string, string> _settings = new Dictionary<string, string>();

    private PostgresServer(string root, int port, string binDirectory, bool deleteOnDispose)
    {
        _root = root;
        Port = port;
        _binDirectory = binDirectory;
        _deleteOnDispose = deleteOnDispose;
    }

    public int Port { get; }

    public string DataDirectory => Path.Combine(_root, "data");

    public bool IsRunning { get; private set; }

    /// <summary>Connection string for <paramref name="database"/>; EF Core creates it on first migration.</summary>
    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Password=postgres;Database={database};Include Error Detail=true";

    /// <param name="root">Folder for data, socket and log; created when missing and reused when it holds a cluster.</param>
    /// <param name="port">Port to listen on; a free one when null.</param>
    /// <param name="durable">False for tests: no fsync, so a run is fast and a crash may lose the data.</param>
    public static async Task<PostgresServer> StartAsync(string root, int? port = null, bool durable = true, bool deleteOnDispose = false, CancellationToken cancellationToken = default)
    {
        var server = new PostgresServer(Path.GetFullPath(root), port ?? FreePorts.Next(), FindBinDirectory(), deleteOnDispose);
        await server.InitializeAsync(cancellationToken);
        await server.StartAsync(durable, cancellationToken);
        return server;
    }

    private static string? RunAsUser => ProcessRunner.IsRoot ? "postgres" : null;

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_root);
        Directory.CreateDirectory(Path.Combine(_root, "socket"));
        if (ProcessRunner.IsRoot)
        {
            await ProcessRunner.RunAsync("chown", ["-R", "postgres:postgres", _root], cancellationToken: cancellationToken);
            LetOthersThrough(Path.GetDirectoryName(_root));
        }

        if (File.Exists(Path.Combine(DataDirectory, "PG_VERSION")))
        {
            return;
        }

        await ProcessRunner.RunAsync(
            Path.Combine(_binDirectory, "initdb"),
            ["-D", DataDirectory, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"],
            runAsUser: RunAsUser,
            cancellationToken: cancellationToken);
    }

    private async Task StartAsync(bool durable, CancellationToken cancellationToken)
    {
        _durable = durable;
        // One server holds every service's pools (up to 100 connections each) and listeners: in the tests, several
        // stacks at once while one of them checks out 2,000 baskets. 400 ran out ("too many clients") once the
        // tests also ran Notifications.
        var options = $"-p {Port} -c listen_addresses=127.0.0.1 -k {Path.Combine(_root, "socket")} -c max_connections=1000";
        if (!durable)
        {
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
        }

        foreach (var (name, value) in _settings)
        {
            options += $" -c {name}={value}";
        }

        await ProcessRunner.RunAsync(
            Path.Combine(_binDirectory, "pg_ctl"),
            ["start", "-D", DataDirectory, "-w", "-t", "60", "-l", Path.Combine(_root, "postgres.log"), "-o", options],
            runAsUser: RunAsUser,
            timeout: TimeSpan.FromSeconds(90),
            cancellationToken: cancellationToken);
        IsRunning = true;
    }

    /// <summary>Stops the server at once, as a crash or an outage would look to the services.</summary>
    /// <summary>
    /// Run as root, PostgreSQL runs as the postgres user, who must be able to pass through every directory above its
    /// data: a checkout under <c>mktemp -d</c> (mode 700) stopped initdb. Only the right to pass is added, not to list.
    /// </summary>
    private static void LetOthersThrough(string? directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        for (var current = directory; !string.IsNullOrEmpty(current); current = Path.GetDirectoryName(current))
        {
            var mode = File.GetUnixFileMode(current);
            if (!mode.HasFlag(UnixFileMode.OtherExecute))
            {
                File.SetUnixFileMode(current, mode | UnixFileMode.OtherExecute);
            }
        }
    }

    public Task StopAsync() => StopAsync("immediate", throwOnFailure: false, CancellationToken.None);

    /// <param name="mode">pg_ctl's shutdown mode: "immediate" as a crash would, "fast" cleanly.</param>
    private async Task StopAsync(string mode, bool throwOnFailure, CancellationToken cancellationToken)
    {
        if (!IsRunning)
        {
            return;
        }

        await ProcessRunner.RunAsync(
            Path.Combine(_binDirectory, "pg_ctl"),
            ["stop", "-D", DataDirectory, "-m", mode, "-w"],
            runAsUser: RunAsUser,
            throwOnFailure: throwOnFailure,
            cancellationToken: cancellationToken);
        IsRunning = false;
    }

    /// <summary>
    /// Whether the server's main process is alive (read from its pid file): false after it crashed or was killed,
    /// whatever <see cref="IsRunning"/> (what this object last did) says.
    /// </summary>
    public bool IsAlive()
    {
        try
        {
            var firstLine = File.ReadLines(Path.Combine(DataDirectory, "postmaster.pid")).FirstOrDefault();
            if (!int.TryParse(firstLine, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid))
            {
                return false;
            }

            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>
    /// Stops the server cleanly and starts it again on the same port and data with these server settings on top of
    /// the defaults (names and values as in postgresql.conf, no spaces): a benchmark measures the database as a
    /// production deployment configures it, after measuring it as the local run has it.
    /// </summary>
    public async Task RestartWithAsync(IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Any(s => s.Key.Any(char.IsWhiteSpace) || s.Value.Any(char.IsWhiteSpace)))
        {
            throw new ArgumentException("A server setting's name and value cannot contain spaces.", nameof(settings));
        }

        await StopAsync("fast", throwOnFailure: true, cancellationToken);
        _settings = settings;
        await StartAsync(_durable, cancellationToken);
    }

    /// <summary>Starts a stopped server again on the same port and data.</summary>
    public Task RestartAsync(CancellationToken cancellationToken = default) => StartAsync(_durable, cancellationToken);

    /// <summary>Stops the server at once and removes a temporary folder, for a test process that is exiting.</summary>
    public void KillNow()
    {
        if (IsRunning)
        {
            ProcessRunner.RunAsync(
                Path.Combine(_binDirectory, "pg_ctl"),
                ["stop", "-D", DataDirectory, "-m", "immediate", "-w"],
                runAsUser: RunAsUser,
                throwOnFailure: false).GetAwaiter().GetResult();
            IsRunning = false;
        }

        if (_deleteOnDispose)
        {
            TryDelete(_root);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync("fast", throwOnFailure: false, CancellationToken.None);

        if (_deleteOnDispose)
        {
            TryDelete(_root);
        }
    }

    internal static void TryDelete(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder is harmless.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>The newest PostgreSQL server binaries Debian's packages installed, or initdb on the PATH.</summary>
    public static string FindBinDirectory()
    {
        const string debianRoot = "/usr/lib/postgresql";
        if (Directory.Exists(debianRoot))
        {
            var newest = Directory.GetDirectories(debianRoot)
                .Select(d => (Path: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
                .Where(d => File.Exists(Path.Combine(d.Path, "initdb")))
                .OrderByDescending(d => d.Version)
                .FirstOrDefault();
            if (newest.Path is not null)
            {
                return newest.Path;
            }
        }

        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator)
            .FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")));
        return onPath ?? throw new InvalidOperationException(
            "PostgreSQL server binaries (initdb, pg_ctl) were not found. Install them: sudo apt-get install -y postgresql");
    }
}
