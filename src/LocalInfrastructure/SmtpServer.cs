using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Marketplace.LocalInfrastructure;

/// <summary>
/// smtp4dev, an SMTP server that accepts every message and keeps it for reading on its web page and through its REST
/// API, run as a plain process from the repository's .NET tool manifest (<c>.config/dotnet-tools.json</c>), on its own
/// ports and folder, listening on the loopback address only. It never delivers anything onwards.
/// </summary>
public sealed class SmtpServer : IAsyncDisposable
{
    private const string ToolId = "rnwood.smtp4dev";
    private const string EntryAssembly = "Rnwood.Smtp4dev.dll";
    private static readonly SemaphoreSlim ToolGate = new(1, 1);

    private readonly string _root;
    private readonly string _entryAssembly;
    private readonly bool _keepMessages;
    private readonly bool _deleteOnDispose;
    private Process? _process;

    private SmtpServer(string root, string entryAssembly, int smtpPort, int webPort, bool keepMessages, bool deleteOnDispose)
    {
        _root = root;
        _entryAssembly = entryAssembly;
        SmtpPort = smtpPort;
        WebPort = webPort;
        _keepMessages = keepMessages;
        _deleteOnDispose = deleteOnDispose;
    }

    /// <summary>The host a sender connects to: plain SMTP, no TLS, no authentication.</summary>
    public string Host { get; } = "127.0.0.1";

    public int SmtpPort { get; }

    /// <summary>The port of the web inbox and of the REST API under <c>/api</c>.</summary>
    public int WebPort { get; }

    /// <summary>The web inbox; the REST API is under <c>api/</c> (its description at <c>api/v1/swagger.json</c>).</summary>
    public Uri WebUrl => new($"http://127.0.0.1:{WebPort.ToString(CultureInfo.InvariantCulture)}/");

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The server's process, while it runs: for measuring what it costs.</summary>
    public int? ProcessId => IsRunning ? _process!.Id : null;

    public string LogFile => Path.Combine(_root, "smtp4dev.log");

    /// <param name="root">Folder for the server's settings, log and (with <paramref name="keepMessages"/>) its messages.</param>
    /// <param name="smtpPort">Port for SMTP; a free one when null.</param>
    /// <param name="webPort">Port for the web inbox and the API; a free one when null.</param>
    /// <param name="keepMessages">True to keep messages in a database file in <paramref name="root"/> across restarts;
    /// false (tests) keeps them in memory only.</param>
    public static async Task<SmtpServer> StartAsync(
        string root,
        int? smtpPort = null,
        int? webPort = null,
        bool keepMessages = false,
        bool deleteOnDispose = false,
        CancellationToken cancellationToken = default)
    {
        var entryAssembly = await FindToolAsync(cancellationToken);
        var server = new SmtpServer(Path.GetFullPath(root), entryAssembly, smtpPort ?? FreePorts.Next(), webPort ?? FreePorts.Next(), keepMessages, deleteOnDispose);
        Directory.CreateDirectory(server._root);
        await server.StartAsync(cancellationToken);
        return server;
    }

    private IEnumerable<string> Arguments =>
    [
        // First, so that scripts/stop-test-servers.sh can find a server by its folder after its test process died.
        $"--baseappdatapath={_root}",
        // Everything is set here: no settings file from an earlier run, and no changing them from the web page.
        "--nousersettings",
        "--locksettings",
        _keepMessages ? "--db=messages.db" : "--db=",
        $"--smtpport={SmtpPort.ToString(CultureInfo.InvariantCulture)}",
        "--bindaddress=127.0.0.1",
        $"--urls={WebUrl.ToString().TrimEnd('/')}",
        "--hostname=localhost",
        "--tlsmode=None",
        // IMAP (143) and POP3 (110) are on by default, on fixed ports: nothing here reads mail that way.
        "--imapport=",
        "--pop3port=",
        // 100 per mailbox by default: a whole test run sends more, and an evicted message fails a test far away.
        "--messagestokeep=5000",
    ];

    private static Dictionary<string, string> Environment => new()
    {
        // The tool asks for server GC, a heap per core, for a process that receives a few messages a minute.
        ["DOTNET_gcServer"] = "0",
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
    };

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        StopLeftoverServer();
        _process = ProcessRunner.StartLogged("dotnet", [_entryAssembly, .. Arguments], LogFile, Environment, workingDirectory: _root);
        try
        {
            await WaitUntilReadyAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is TimeoutException or InvalidOperationException or OperationCanceledException)
        {
            KillProcess();
            if (ex is OperationCanceledException)
            {
                throw;
            }

            var log = File.Exists(LogFile) ? await File.ReadAllTextAsync(LogFile, CancellationToken.None) : "(no log)";
            throw new InvalidOperationException($"smtp4dev did not start: {ex.Message}\n{log}", ex);
        }
    }

    /// <summary>
    /// A server of this folder whose starter was killed (a local run ended by SIGKILL) still holds the ports and
    /// would make this start fail: it is stopped first. Found by its command line, which names the folder.
    /// </summary>
    private void StopLeftoverServer()
    {
        if (!OperatingSystem.IsLinux() || !Directory.Exists("/proc"))
        {
            return;
        }

        var folderArgument = $"--baseappdatapath={_root}";
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), CultureInfo.InvariantCulture, out var pid) || pid == System.Environment.ProcessId)
            {
                continue;
            }

            try
            {
                var arguments = File.ReadAllText(Path.Combine(entry, "cmdline")).Split('\0');
                if (arguments.Any(a => a.EndsWith(EntryAssembly, StringComparison.Ordinal)) && arguments.Contains(folderArgument))
                {
                    using var leftover = Process.GetProcessById(pid);
                    leftover.Kill();
                    leftover.WaitForExit(TimeSpan.FromSeconds(10));
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
            {
                // Gone meanwhile, or not ours to read.
            }
        }
    }

    /// <summary>Ready means both doors answer: the API (the web inbox's server) and an SMTP greeting.</summary>
    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = WebUrl, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            if (_process is not { HasExited: false })
            {
                throw new InvalidOperationException($"it exited with code {_process?.ExitCode.ToString(CultureInfo.InvariantCulture)}.");
            }

            if (await AnswersAsync(http, cancellationToken))
            {
                return;
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException("it did not answer on its ports within 90 seconds.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }
    }

    private async Task<bool> AnswersAsync(HttpClient http, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(new Uri("api/version", UriKind.Relative), cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return false;
            }

            using var smtp = new TcpClient();
            await smtp.ConnectAsync(Host, SmtpPort, cancellationToken);
            await using var stream = smtp.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII);
            var greeting = await reader.ReadLineAsync(cancellationToken);
            await stream.WriteAsync("QUIT\r\n"u8.ToArray(), cancellationToken);
            return greeting?.StartsWith("220", StringComparison.Ordinal) == true;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The HTTP client's own timeout: still starting.
            return false;
        }
    }

    /// <summary>Stops the server (SIGTERM, then a kill after ten seconds); <see cref="RestartAsync"/> starts it again.</summary>
    public async Task StopAsync()
    {
        if (_process is null)
        {
            return;
        }

        if (!_process.HasExited)
        {
            await ProcessRunner.RunAsync("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)], throwOnFailure: false, timeout: TimeSpan.FromSeconds(10));
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(grace.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        KillProcess();
    }

    /// <summary>Starts a stopped server again on the same ports and folder (in-memory messages are gone).</summary>
    public Task RestartAsync(CancellationToken cancellationToken = default) => StartAsync(cancellationToken);

    /// <summary>Kills the server at once and removes a temporary folder, for a test process that is exiting.</summary>
    public void KillNow()
    {
        KillProcess();
        if (_deleteOnDispose)
        {
            PostgresServer.TryDelete(_root);
        }
    }

    private void KillProcess()
    {
        if (_process is null)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(TimeSpan.FromSeconds(10));
        }

        _process.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (_deleteOnDispose)
        {
            PostgresServer.TryDelete(_root);
        }
    }

    /// <summary>
    /// The tool's entry assembly in the NuGet packages folder, where <c>dotnet tool restore</c> puts it; restored
    /// first when missing (a fresh clone, or a plain <c>dotnet test</c> before any script ran). Started with
    /// <c>dotnet</c> directly rather than through <c>dotnet tool run</c>, so the process that runs is the server
    /// itself: a signal reaches it, and no launcher is left waiting beside it.
    /// </summary>
    public static async Task<string> FindToolAsync(CancellationToken cancellationToken = default)
    {
        await ToolGate.WaitAsync(cancellationToken);
        try
        {
            var manifest = FindManifest() ?? throw new InvalidOperationException(
                $"No .config/dotnet-tools.json naming {ToolId} was found above {AppContext.BaseDirectory}: run from inside the repository.");
            var version = ToolVersion(manifest);
            if (FindRestored(version, DefaultPackageFolders()) is { } restored)
            {
                return restored;
            }

            var manifestFolder = Path.GetDirectoryName(Path.GetDirectoryName(manifest))!;
            await ProcessRunner.RunAsync("dotnet", ["tool", "restore"], Environment, timeout: TimeSpan.FromMinutes(10),
                workingDirectory: manifestFolder, cancellationToken: cancellationToken);
            var packagesFolder = (await ProcessRunner.RunAsync("dotnet", ["nuget", "locals", "global-packages", "--list"], Environment,
                    workingDirectory: manifestFolder, cancellationToken: cancellationToken))
                .Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("global-packages:", StringComparison.Ordinal))?["global-packages:".Length..].Trim();
            return FindRestored(version, [.. DefaultPackageFolders(), .. packagesFolder is null ? Array.Empty<string>() : [packagesFolder]])
                ?? throw new InvalidOperationException(
                    $"smtp4dev {version} was restored but {EntryAssembly} for {RuntimeInformation.RuntimeIdentifier} was not found in the NuGet packages folder. Run: dotnet tool restore");
        }
        finally
        {
            ToolGate.Release();
        }
    }

    private static string? FindManifest()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, System.Environment.CurrentDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                var manifest = Path.Combine(directory.FullName, ".config", "dotnet-tools.json");
                if (File.Exists(manifest) && File.ReadAllText(manifest).Contains(ToolId, StringComparison.OrdinalIgnoreCase))
                {
                    return manifest;
                }
            }
        }

        return null;
    }

    /// <summary>The version pinned in the manifest: the one place that says which smtp4dev the project runs.</summary>
    private static string ToolVersion(string manifest)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(manifest));
        return json.RootElement.GetProperty("tools").EnumerateObject()
            .First(t => t.Name.Equals(ToolId, StringComparison.OrdinalIgnoreCase))
            .Value.GetProperty("version").GetString()!;
    }

    private static IEnumerable<string> DefaultPackageFolders()
    {
        if (System.Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured)
        {
            yield return configured;
        }

        yield return Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".nuget", "packages");
    }

    /// <summary>
    /// The tool is split by platform: the package named in the manifest points to one package per runtime identifier
    /// (<c>rnwood.smtp4dev.linux-x64</c>...), which holds the server.
    /// </summary>
    private static string? FindRestored(string version, IEnumerable<string> packageFolders)
    {
        foreach (var folder in packageFolders)
        {
            foreach (var runtime in new[] { RuntimeInformation.RuntimeIdentifier, "any" })
            {
                var tools = Path.Combine(folder, $"{ToolId}.{runtime}", version, "tools");
                if (!Directory.Exists(tools))
                {
                    continue;
                }

                var entry = Directory.EnumerateFiles(tools, EntryAssembly, SearchOption.AllDirectories).FirstOrDefault();
                if (entry is not null)
                {
                    return entry;
                }
            }
        }

        return null;
    }
}
