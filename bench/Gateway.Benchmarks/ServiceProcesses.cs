using System.Diagnostics;
using System.Security.Cryptography;
using Marketplace.LocalInfrastructure;
using Marketplace.ServiceDefaults.Identity;

namespace Marketplace.Gateway.Benchmarks;

/// <summary>
/// PostgreSQL, RabbitMQ, Catalog (with the demo catalogue) and the Gateway, each its own process, configured as
/// in production (no Development conveniences), with keys made for this run.
/// </summary>
public sealed class ServiceProcesses : IAsyncDisposable
{
    private readonly string _folder;
    private readonly PostgresServer _postgres;
    private readonly RabbitMqServer _rabbit;
    private readonly List<Process> _processes = [];

    private ServiceProcesses(string folder, PostgresServer postgres, RabbitMqServer rabbit)
    {
        _folder = folder;
        _postgres = postgres;
        _rabbit = rabbit;
    }

    public string CatalogUrl { get; private set; } = string.Empty;

    public string GatewayUrl { get; private set; } = string.Empty;

    public static async Task<ServiceProcesses> StartAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "marketplace-bench", Guid.NewGuid().ToString("N"));
        var postgres = await PostgresServer.StartAsync(Path.Combine(folder, "postgres"), durable: false, deleteOnDispose: true);
        var rabbit = await RabbitMqServer.StartAsync(Path.Combine(folder, "rabbitmq"), deleteOnDispose: true);
        var services = new ServiceProcesses(folder, postgres, rabbit);
        try
        {
            await services.StartServicesAsync();
            return services;
        }
        catch
        {
            await services.DisposeAsync();
            throw;
        }
    }

    private async Task StartServicesAsync()
    {
        var catalogPort = FreePorts.Next();
        var gatewayPort = FreePorts.Next();
        CatalogUrl = $"http://127.0.0.1:{catalogPort}";
        GatewayUrl = $"http://127.0.0.1:{gatewayPort}";
        var serviceKey = Pem();
        var serviceTokens = ServiceTokenIssuer.FromPem(serviceKey, "marketplace-gateway", "marketplace-services", TimeSpan.FromMinutes(5));
        var common = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["Database__MigrateOnStartup"] = "true",
            ["ConnectionStrings__rabbitmq"] = _rabbit.ConnectionString(),
            ["ServiceTokens__Jwks"] = serviceTokens.PublicJwks,
            ["Services__catalog__http__0"] = CatalogUrl,
            ["Services__orders__http__0"] = "http://127.0.0.1:1",
            ["Services__web__http__0"] = "http://127.0.0.1:1",
            ["Logging__LogLevel__Default"] = "Warning",
        };

        Start("Catalog", "Marketplace.Catalog", catalogPort, common,
            ("ConnectionStrings__catalogdb", _postgres.ConnectionString("bench_catalog")), ("Seed__Demo", "true"));
        Start("Gateway", "Marketplace.Gateway", gatewayPort, common,
            ("ConnectionStrings__gatewaydb", _postgres.ConnectionString("bench_gateway")),
            ("ServiceTokens__SigningKeyPem", serviceKey),
            ("Gateway__Tokens__SigningKeyPem", Pem()),
            ("Gateway__Tokens__EncryptionKeyPem", Pem()),
            ("Gateway__RequireHttps", "false"),
            // The load comes from one address: lift the per-address limit for the measurement.
            ("RateLimits__AnonymousReadsPerIp__PermitLimit", "100000000"));

        await WaitUntilAsync(new Uri($"{CatalogUrl}/api/catalog/products?pageSize=20"), body => body.Contains("\"items\":[{", StringComparison.Ordinal));
        await WaitUntilAsync(new Uri($"{GatewayUrl}/api/catalog/products?pageSize=20"), body => body.Contains("\"items\":[{", StringComparison.Ordinal));
    }

    private void Start(string project, string assembly, int port, Dictionary<string, string> common, params (string Key, string Value)[] extra)
    {
        var configuration = Path.GetFileName(Path.GetDirectoryName(AppContext.BaseDirectory.TrimEnd('/'))!);
        var root = FindRepositoryRoot();
        var dll = Path.Combine(root, "src", project, "bin", configuration, "net10.0", assembly + ".dll");
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, WorkingDirectory = Path.GetDirectoryName(dll)!, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(dll);
        foreach (var (key, value) in common.Concat(extra.Select(e => KeyValuePair.Create(e.Key, e.Value))))
        {
            info.Environment[key] = value;
        }

        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        var process = Process.Start(info) ?? throw new InvalidOperationException($"{project} did not start.");
        process.OutputDataReceived += (_, e) => { };
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
    }

    private static async Task WaitUntilAsync(Uri url, Func<string, bool> ready)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTimeOffset.UtcNow.AddMinutes(3);
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

        throw new TimeoutException($"{url} did not answer with the demo catalogue within 3 minutes.");
    }

    private static string Pem()
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

        await _rabbit.DisposeAsync();
        await _postgres.DisposeAsync();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
