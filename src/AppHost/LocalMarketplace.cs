using System.Diagnostics;
using System.Globalization;
using Marketplace.LocalInfrastructure;

namespace Marketplace.AppHost;

/// <summary>PostgreSQL, RabbitMQ and the four services, started in dependency order and stopped in reverse.</summary>
internal sealed class LocalMarketplace(LocalRunOptions options) : IAsyncDisposable
{
    private readonly List<(string Name, Process Process)> _services = [];
    private PostgresServer? _postgres;
    private RabbitMqServer? _rabbit;

    private string LocalFolder => Path.Combine(options.RepositoryRoot, ".local");

    public string GatewayUrl => $"http://127.0.0.1:{options.GatewayPort}";

    public string RabbitMqManagementUrl => $"http://127.0.0.1:{_rabbit?.ManagementPort}";

    private int PortOf(string service) => options.GatewayPort + service switch
    {
        "gateway" => 0,
        "catalog" => 1,
        "orders" => 2,
        "web" => 3,
        "stripe" => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(service)),
    };

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Console.WriteLine("Starting PostgreSQL...");
        _postgres = await PostgresServer.StartAsync(Path.Combine(LocalFolder, "postgres"), port: options.GatewayPort + 17352, cancellationToken: cancellationToken);
        Console.WriteLine($"  PostgreSQL on port {_postgres.Port}, data in .local/postgres");

        Console.WriteLine("Starting RabbitMQ...");
        _rabbit = await RabbitMqServer.StartAsync(Path.Combine(LocalFolder, "rabbitmq"), amqpPort: options.GatewayPort + 17592,
            managementPort: options.GatewayPort + 17593, cancellationToken: cancellationToken);
        Console.WriteLine($"  RabbitMQ on port {_rabbit.AmqpPort}, data in .local/rabbitmq");

        var jwksUri = $"{GatewayUrl}/internal/jwks";
        var common = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["ConnectionStrings__rabbitmq"] = _rabbit.ConnectionString(),
            ["ServiceTokens__JwksUri"] = jwksUri,
            ["Services__catalog__http__0"] = $"http://127.0.0.1:{PortOf("catalog")}",
            ["Services__orders__http__0"] = $"http://127.0.0.1:{PortOf("orders")}",
            ["Services__web__http__0"] = $"http://127.0.0.1:{PortOf("web")}",
            ["Services__gateway__http__0"] = GatewayUrl,
        };

        // The Gateway first: the services fetch its token keys.
        // Stripe cannot be reached from here: the emulator speaks its API and posts signed webhooks to the Gateway.
        const string webhookSecret = "whsec_local_marketplace";
        Start("stripe", "StripeEmulator", "Marketplace.StripeEmulator", new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Development" },
            ("Emulator__WebhookUrl", $"{GatewayUrl}/webhooks/stripe"), ("Emulator__WebhookSecret", webhookSecret));

        // Password-reset and other account messages are written where a developer can open them.
        Start("gateway", "Gateway", "Marketplace.Gateway", common, ("ConnectionStrings__gatewaydb", _postgres.ConnectionString("marketplace_gateway")),
            ("Accounts__MessageFolder", Path.Combine(LocalFolder, "messages")), ("Accounts__PublicBaseUrl", GatewayUrl));
        Start("catalog", "Catalog", "Marketplace.Catalog", common, ("ConnectionStrings__catalogdb", _postgres.ConnectionString("marketplace_catalog")), ("Seed__Demo", "true"));
        Start("orders", "Orders", "Marketplace.Orders", common, ("ConnectionStrings__ordersdb", _postgres.ConnectionString("marketplace_orders")),
            ("Stripe__SecretKey", "sk_test_local_marketplace"), ("Stripe__ApiBase", $"http://127.0.0.1:{PortOf("stripe")}"),
            ("Stripe__WebhookSecret", webhookSecret), ("Stripe__PublicBaseUrl", GatewayUrl), ("Seed__Demo", "true"));
        Start("web", "Web", "Marketplace.Web", common);

        foreach (var name in new[] { "stripe", "catalog", "orders", "web", "gateway" })
        {
            await WaitUntilReadyAsync(name, cancellationToken);
        }
    }

    private void Start(string name, string project, string assembly, Dictionary<string, string> common, params (string Key, string Value)[] extra)
    {
        var dll = Path.Combine(options.RepositoryRoot, "src", project, "bin", options.Configuration, "net10.0", assembly + ".dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} is missing: build the solution first (dotnet build Marketplace.sln).");
        }

        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, WorkingDirectory = Path.GetDirectoryName(dll)! };
        info.ArgumentList.Add(dll);
        foreach (var (key, value) in common)
        {
            info.Environment[key] = value;
        }

        foreach (var (key, value) in extra)
        {
            info.Environment[key] = value;
        }

        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{PortOf(name)}";
        info.Environment["OTEL_SERVICE_NAME"] = name;
        var process = Process.Start(info) ?? throw new InvalidOperationException($"{name} did not start.");
        _services.Add((name, process));
        Console.WriteLine($"  {name} on http://127.0.0.1:{PortOf(name)} (pid {process.Id.ToString(CultureInfo.InvariantCulture)})");
    }

    private async Task WaitUntilReadyAsync(string name, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var url = new Uri($"http://127.0.0.1:{PortOf(name)}/health/ready");
        var deadline = DateTimeOffset.UtcNow.AddMinutes(2);
        while (DateTimeOffset.UtcNow < deadline)
        {
            var process = _services.Single(s => s.Name == name).Process;
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{name} exited with code {process.ExitCode}; its log is above.");
            }

            try
            {
                using var response = await http.GetAsync(url, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    Console.WriteLine($"  {name} is ready");
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            await Task.Delay(500, cancellationToken);
        }

        throw new TimeoutException($"{name} was not ready within two minutes ({url}).");
    }

    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        var exits = _services.Select(s => s.Process.WaitForExitAsync(cancellationToken)).ToArray();
        var first = await Task.WhenAny(exits);
        await first;
        var exited = _services.First(s => s.Process.HasExited);
        Console.WriteLine($"{exited.Name} exited with code {exited.Process.ExitCode}; stopping the rest.");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (_, process) in Enumerable.Reverse(_services))
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }

        if (_rabbit is not null)
        {
            await _rabbit.DisposeAsync();
        }

        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }
}
