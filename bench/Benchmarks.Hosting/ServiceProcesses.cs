using System.Diagnostics;
using System.Security.Cryptography;
using Marketplace.LocalInfrastructure;
using Marketplace.ServiceDefaults.Identity;

namespace Marketplace.Benchmarks.Hosting;

/// <summary>
/// PostgreSQL, RabbitMQ and the services a benchmark needs, each its own process, configured as in production
/// (Production environment, migrations at start-up, keys made for this run).
/// </summary>
public sealed class ServiceProcesses : IAsyncDisposable
{
    private readonly string _folder;
    private readonly List<Process> _processes = [];
    private readonly List<(string Name, Process Process)> _named = [];

    private ServiceProcesses(string folder, PostgresServer postgres, RabbitMqServer rabbit)
    {
        _folder = folder;
        Postgres = postgres;
        Rabbit = rabbit;
        ServiceKeyPem = NewKeyPem();
        Tokens = ServiceTokenIssuer.FromPem(ServiceKeyPem, "marketplace-gateway", "marketplace-services", TimeSpan.FromHours(1));
    }

    public PostgresServer Postgres { get; }

    public RabbitMqServer Rabbit { get; }

    /// <summary>The key the services trust; the benchmark mints its callers' tokens with it.</summary>
    public string ServiceKeyPem { get; }

    public ServiceTokenIssuer Tokens { get; }

    /// <summary>CPU seconds used so far by each service, PostgreSQL, RabbitMQ and this benchmark's own process.</summary>
    public Dictionary<string, double> CpuSeconds()
    {
        var roots = new List<(string, int?, string?)>();
        foreach (var (name, process) in _named)
        {
            roots.Add((name, process.Id, null));
        }

        var postmaster = File.ReadLines(Path.Combine(Postgres.DataDirectory, "postmaster.pid")).First();
        roots.Add(("PostgreSQL", int.Parse(postmaster, System.Globalization.CultureInfo.InvariantCulture), null));
        roots.Add(("RabbitMQ", null, Path.Combine(_folder, "rabbitmq")));
        roots.Add(("load generator", Environment.ProcessId, null));
        return CpuMeter.Read(roots);
    }

    public static async Task<ServiceProcesses> StartAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "marketplace-bench", Guid.NewGuid().ToString("N"));
        var postgres = await PostgresServer.StartAsync(Path.Combine(folder, "postgres"), durable: false, deleteOnDispose: true);
        var rabbit = await RabbitMqServer.StartAsync(Path.Combine(folder, "rabbitmq"), deleteOnDispose: true);
        return new ServiceProcesses(folder, postgres, rabbit);
    }

    /// <summary>Settings every service shares: production mode, the broker, the token keys.</summary>
    public Dictionary<string, string> Common() => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["DOTNET_ENVIRONMENT"] = "Production",
        ["Database__MigrateOnStartup"] = "true",
        ["ConnectionStrings__rabbitmq"] = Rabbit.ConnectionString(),
        ["ServiceTokens__Jwks"] = Tokens.PublicJwks,
        ["Logging__LogLevel__Default"] = "Warning",
    };

    /// <summary>Starts <c>src/{project}</c>'s build of the same configuration as this benchmark; returns its address.</summary>
    public string Start(string project, string assembly, IReadOnlyDictionary<string, string> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var port = FreePorts.Next();
        var configuration = Path.GetFileName(Path.GetDirectoryName(AppContext.BaseDirectory.TrimEnd('/'))!);
        var dll = Path.Combine(FindRepositoryRoot(), "src", project, "bin", configuration, "net10.0", assembly + ".dll");
        var info = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add(dll);
        foreach (var (key, value) in settings)
        {
            info.Environment[key] = value;
        }

        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        var process = Process.Start(info) ?? throw new InvalidOperationException($"{project} did not start.");
        // Warnings and errors are shown (a benchmark that retries in silence measures the retries); the rest is not.
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null && (e.Data.Contains("\"Warning\"", StringComparison.Ordinal) || e.Data.Contains("\"Error\"", StringComparison.Ordinal)
                || e.Data.Contains("\"Critical\"", StringComparison.Ordinal)))
            {
                Console.Error.WriteLine($"[{project}] {e.Data}");
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Console.Error.WriteLine($"[{project}] {e.Data}");
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes.Add(process);
        _named.Add((project, process));
        return $"http://127.0.0.1:{port}";
    }

    public static async Task WaitUntilAsync(Uri url, Func<string, bool> ready, TimeSpan? timeout = null)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromMinutes(3));
        while (DateTimeOffset.UtcNow < deadline)
        {
            try
            {
                var response = await http.GetAsync(url);
                if (response.IsSuccessStatusCode && ready(await response.Content.ReadAsStringAsync()))
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(500);
        }

        throw new TimeoutException($"{url} was not ready in time.");
    }

    public static string NewKeyPem()
    {
        using var rsa = RSA.Create(2048);
        return rsa.ExportPkcs8PrivateKeyPem();
    }

    private static string FindRepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Marketplace.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Run this from inside the repository.");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }

        await Rabbit.DisposeAsync();
        await Postgres.DisposeAsync();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
