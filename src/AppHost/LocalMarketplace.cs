using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Reflection;
using System.Runtime.InteropServices;
using Marketplace.LocalInfrastructure;

namespace Marketplace.AppHost;

/// <summary>PostgreSQL, RabbitMQ, the SMTP server and the services, started in dependency order and stopped in reverse.</summary>
/// <remarks>
/// Each service writes its log to <c>.local/logs/NAME.log</c>: the console is for what a newcomer needs (where to
/// go, how to sign in), not for the SQL and the retries of services waiting for one another while they start.
/// </remarks>
internal sealed class LocalMarketplace(LocalRunOptions options) : IAsyncDisposable
{
    private static readonly TimeSpan ServiceStopGrace = TimeSpan.FromSeconds(8);
    private static readonly TimeSpan MinimumRestartDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaximumRestartDelay = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StableAfter = TimeSpan.FromMinutes(1);

    /// <summary>A service that crashed this many times in a row while the run was starting will not come up by itself.</summary>
    private const int CrashesBeforeGivingUp = 5;

    /// <summary>How often the run looks whether PostgreSQL, RabbitMQ and the SMTP server are still there (a file read each).</summary>
    private static readonly TimeSpan InfrastructureCheckInterval = TimeSpan.FromSeconds(2);

    private readonly List<SupervisedProcess> _services = [];
    private Task _infrastructureWatch = Task.CompletedTask;
    private readonly CancellationTokenSource _stopping = new();
    private PostgresServer? _postgres;
    private RabbitMqServer? _rabbit;
    private SmtpServer? _smtp;

    private string LocalFolder => Path.Combine(options.RepositoryRoot, ".local");

    public string LogFolder => Path.Combine(LocalFolder, "logs");

    public string GatewayUrl => $"http://127.0.0.1:{options.GatewayPort}";

    public string StripeUrl => $"http://127.0.0.1:{PortOf("stripe")}";

    public string RabbitMqManagementUrl => $"http://127.0.0.1:{_rabbit?.ManagementPort}";

    /// <summary>The WhatsApp emulator's page: every number's messages, as a phone would show them.</summary>
    public string WhatsAppUrl => $"http://127.0.0.1:{PortOf("whatsapp")}";

    /// <summary>The web inbox of the SMTP server, where every email sent in the local run can be read.</summary>
    public string SmtpInboxUrl => $"http://127.0.0.1:{_smtp?.WebPort}";

    public string SmtpAddress => $"127.0.0.1:{_smtp?.SmtpPort}";

    /// <summary>The telemetry dashboard's page (traces, logs and metrics of every service), or null when it is not run here.</summary>
    public string? DashboardUrl { get; private set; }

    private LocalPorts? _ports;

    private int PortOf(string part) => (_ports ?? throw new InvalidOperationException("The run's ports are chosen when it starts."))[part];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(LogFolder);
        _ports = LocalPorts.Plan(options.GatewayPort, Console.WriteLine);
        Console.WriteLine("Starting PostgreSQL...");
        _postgres = await PostgresServer.StartAsync(Path.Combine(LocalFolder, "postgres"), port: PortOf("postgres"), cancellationToken: cancellationToken);
        Console.WriteLine($"  PostgreSQL on port {_postgres.Port}, data in .local/postgres");

        Console.WriteLine("Starting RabbitMQ...");
        _rabbit = await RabbitMqServer.StartAsync(Path.Combine(LocalFolder, "rabbitmq"), amqpPort: PortOf("rabbitmq"),
            managementPort: PortOf("rabbitmq-management"),
            // Named by its usual port, as before ports could move: on another port it still finds its queues and messages.
            nodeName: $"rabbit{_ports.Usual("rabbitmq")}@localhost", cancellationToken: cancellationToken);
        Console.WriteLine($"  RabbitMQ on port {_rabbit.AmqpPort}, data in .local/rabbitmq");

        // Email goes to smtp4dev, which delivers nothing onwards and shows every message on its web page; the
        // messages are kept in .local/smtp4dev across runs, like the rest of the local data.
        Console.WriteLine("Starting the SMTP server (smtp4dev)...");
        _smtp = await SmtpServer.StartAsync(Path.Combine(LocalFolder, "smtp4dev"), smtpPort: PortOf("smtp"),
            webPort: PortOf("smtp-inbox"), keepMessages: true, cancellationToken: cancellationToken);
        Console.WriteLine($"  SMTP on port {_smtp.SmtpPort}, inbox {SmtpInboxUrl}, data in .local/smtp4dev");

        _infrastructureWatch = WatchInfrastructureAsync(_stopping.Token);

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
            ["Services__notifications__http__0"] = $"http://127.0.0.1:{PortOf("notifications")}",
            ["Services__gateway__http__0"] = GatewayUrl,
            // Every statement at Information is noise in a log someone reads to find out why a page failed.
            ["Logging__LogLevel__Microsoft.EntityFrameworkCore.Database.Command"] = "Warning",
            // A replica of the local run stops at once: nobody else is there to take its requests.
            ["Shutdown__DrainSeconds"] = "0",
        };

        if (StartDashboard())
        {
            // Every service sends its traces, logs and metrics to the dashboard (Extensions.ConfigureOpenTelemetry).
            common["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{PortOf("dashboard-otlp")}";
            common["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        }

        Console.WriteLine("Starting the services (logs in .local/logs)...");

        // Stripe cannot be reached from here: the emulator speaks its API and posts signed webhooks to the Gateway.
        const string webhookSecret = "whsec_local_marketplace";
        Start("stripe", "StripeEmulator", "Marketplace.StripeEmulator", new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Development" },
            ("Emulator__WebhookUrl", $"{GatewayUrl}/webhooks/stripe"), ("Emulator__WebhookSecret", webhookSecret));

        Start("gateway", "Gateway", "Marketplace.Gateway", common, ("ConnectionStrings__gatewaydb", _postgres.ConnectionString("marketplace_gateway")),
            ("Accounts__PublicBaseUrl", GatewayUrl), ("DeadLetters__ManagementUrl", RabbitMqManagementUrl));
        Start("catalog", "Catalog", "Marketplace.Catalog", common, ("ConnectionStrings__catalogdb", _postgres.ConnectionString("marketplace_catalog")), ("Seed__Demo", "true"));
        Start("orders", "Orders", "Marketplace.Orders", common, ("ConnectionStrings__ordersdb", _postgres.ConnectionString("marketplace_orders")),
            ("Stripe__SecretKey", "sk_test_local_marketplace"), ("Stripe__ApiBase", StripeUrl),
            ("Stripe__WebhookSecret", webhookSecret), ("Stripe__PublicBaseUrl", GatewayUrl), ("Seed__Demo", "true"));
        Start("web", "Web", "Marketplace.Web", common);

        // WhatsApp's Cloud API cannot be reached from here either: its emulator takes the same templates Notifications
        // sends, and reports delivery to the Gateway's webhook, signed with the app's secret, as Meta would.
        const string whatsAppToken = "local-whatsapp-token";
        const string whatsAppSecret = "local-whatsapp-app-secret";
        const string whatsAppNumberId = "100000000000001";
        Start("whatsapp", "WhatsAppEmulator", "Marketplace.WhatsAppEmulator", new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Development" },
            [("WhatsAppEmulator__AccessToken", whatsAppToken), ("WhatsAppEmulator__AppSecret", whatsAppSecret), ("WhatsAppEmulator__PhoneNumberId", whatsAppNumberId),
                ("WhatsAppEmulator__WebhookUrl", $"{GatewayUrl}/webhooks/whatsapp"), ("WhatsAppEmulator__TemplatesFile", "marketplace-templates.json")]);
        Start("notifications", "Notifications", "Marketplace.Notifications", common,
            ("ConnectionStrings__notificationsdb", _postgres.ConnectionString("marketplace_notifications")),
            ("WhatsApp__ApiBase", WhatsAppUrl), ("WhatsApp__AccessToken", whatsAppToken), ("WhatsApp__PhoneNumberId", whatsAppNumberId),
            ("WhatsApp__AppSecret", whatsAppSecret), ("WhatsApp__VerifyToken", "local-whatsapp-verify"), ("Notifications__PublicBaseUrl", GatewayUrl),
            // Email goes to smtp4dev: plain SMTP, no credentials, every message kept in its inbox.
            ("Email__Host", _smtp.Host), ("Email__Port", _smtp.SmtpPort.ToString(CultureInfo.InvariantCulture)), ("Email__Security", "None"),
            ("Email__FromAddress", "toko@pantaibinor.test"));

        foreach (var name in new[] { "stripe", "whatsapp", "catalog", "orders", "notifications", "web", "gateway" })
        {
            await WaitUntilReadyAsync(name, cancellationToken);
        }

        await WaitForTheDemoStoreAsync(cancellationToken);
    }

    private void Start(string name, string project, string assembly, Dictionary<string, string> common, params (string Key, string Value)[] extra)
    {
        var dll = Path.Combine(options.RepositoryRoot, "src", project, "bin", options.Configuration, "net10.0", assembly + ".dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} is missing: build the solution first (dotnet build Marketplace.sln).");
        }

        var environment = new Dictionary<string, string>(common);
        foreach (var (key, value) in extra)
        {
            environment[key] = value;
        }

        environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{PortOf(name)}";
        environment["OTEL_SERVICE_NAME"] = name;
        Supervise(name, "dotnet", [dll], environment, Path.GetDirectoryName(dll)!, $"http://127.0.0.1:{PortOf(name)}");
    }

    /// <summary>
    /// Starts the standalone Aspire dashboard (from its NuGet package, Aspire.Dashboard.Sdk.linux-x64) on 127.0.0.1
    /// only, without sign-in: it is this machine's, like the rest of the local run. False when it cannot run here.
    /// </summary>
    private bool StartDashboard()
    {
        var path = typeof(LocalMarketplace).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "AspireDashboardPath")?.Value;
        if (!OperatingSystem.IsLinux() || RuntimeInformation.OSArchitecture != Architecture.X64 || string.IsNullOrEmpty(path) || !File.Exists(path))
        {
            Console.WriteLine("  (no telemetry dashboard: its package is built for Linux x64 only)");
            return false;
        }

        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{PortOf("dashboard")}",
            ["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"] = $"http://127.0.0.1:{PortOf("dashboard-otlp")}",
            // Bound to 127.0.0.1: nobody but this machine's user reaches it, so no browser token or OTLP key.
            ["ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS"] = "true",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        };
        Console.WriteLine("Starting the telemetry dashboard (Aspire)...");
        Supervise("dashboard", path, [], environment, Path.GetDirectoryName(path)!, $"http://127.0.0.1:{PortOf("dashboard")}", optional: true);
        DashboardUrl = $"http://127.0.0.1:{PortOf("dashboard")}";
        return true;
    }

    private void Supervise(string name, string fileName, string[] arguments, Dictionary<string, string> environment, string workingDirectory, string address, bool optional = false)
    {
        var service = new SupervisedProcess(name, fileName, arguments, environment, workingDirectory, Path.Combine(LogFolder, name + ".log")) { IsOptional = optional };
        var process = service.Start(firstTime: true);
        _services.Add(service);
        Console.WriteLine($"  {name,-9} {address}  (pid {process.Id.ToString(CultureInfo.InvariantCulture)}, log .local/logs/{name}.log)");
        service.Supervision = SuperviseAsync(service, _stopping.Token);
    }

    /// <summary>
    /// Restarts a service that exits on its own, as Kubernetes restarts a crashed container: after 1 s, then 2, 4, 8...
    /// up to 30 s while it keeps crashing; a service that stayed up for a minute starts from 1 s again. Only a stop
    /// that was asked for (Ctrl-C, SIGTERM) ends the run.
    /// </summary>
    private async Task SuperviseAsync(SupervisedProcess service, CancellationToken stopping)
    {
        var delay = MinimumRestartDelay;
        while (!stopping.IsCancellationRequested)
        {
            var process = service.Current;
            var startedAt = DateTimeOffset.UtcNow;
            try
            {
                await process.WaitForExitAsync(stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var upFor = DateTimeOffset.UtcNow - startedAt;
            if (upFor >= StableAfter)
            {
                delay = MinimumRestartDelay;
                service.CrashesInARow = 0;
            }

            service.CrashesInARow++;
            Console.Error.WriteLine(
                $"{service.Name} exited with code {process.ExitCode} after {upFor.TotalSeconds:0} s; restarting it in {delay.TotalSeconds:0} s. " +
                $"The end of its log (.local/logs/{service.Name}.log):{Environment.NewLine}{TailOfLog(service.Name, 15)}");
            try
            {
                await Task.Delay(delay, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaximumRestartDelay.Ticks));
            try
            {
                if (service.Restart(stopping) is { } restarted)
                {
                    Console.Error.WriteLine($"{service.Name} restarted (pid {restarted.Id.ToString(CultureInfo.InvariantCulture)}).");
                }
            }
            catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
            {
                Console.Error.WriteLine($"{service.Name} could not be started again ({ex.Message}); trying again in {delay.TotalSeconds:0} s.");
            }
        }
    }

    /// <summary>
    /// Starts PostgreSQL, RabbitMQ or the SMTP server again when one of them dies (killed, out of memory), with the
    /// services' back-off, as their operators in Kubernetes would: the services ride out the gap with their retries.
    /// </summary>
    private async Task WatchInfrastructureAsync(CancellationToken stopping)
    {
        var servers = new (string Name, Func<bool> IsAlive, Func<CancellationToken, Task> RestartAsync)[]
        {
            ("PostgreSQL", () => _postgres!.IsAlive(), c => _postgres!.RestartAsync(c)),
            ("RabbitMQ", () => _rabbit!.IsRunning, c => _rabbit!.RestartAsync(c)),
            ("smtp4dev", () => _smtp!.IsRunning, c => _smtp!.RestartAsync(c)),
        };
        var delays = servers.Select(_ => MinimumRestartDelay).ToArray();
        var upSince = servers.Select(_ => DateTimeOffset.UtcNow).ToArray();
        using var timer = new PeriodicTimer(InfrastructureCheckInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                for (var i = 0; i < servers.Length; i++)
                {
                    var (name, isAlive, restartAsync) = servers[i];
                    if (isAlive())
                    {
                        continue;
                    }

                    if (DateTimeOffset.UtcNow - upSince[i] >= StableAfter)
                    {
                        delays[i] = MinimumRestartDelay;
                    }

                    Console.Error.WriteLine($"{name} stopped by itself; starting it again in {delays[i].TotalSeconds:0} s.");
                    await Task.Delay(delays[i], stopping);
                    delays[i] = TimeSpan.FromTicks(Math.Min(delays[i].Ticks * 2, MaximumRestartDelay.Ticks));
                    try
                    {
                        await restartAsync(stopping);
                        upSince[i] = DateTimeOffset.UtcNow;
                        Console.Error.WriteLine($"{name} started again.");
                    }
                    catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or IOException or System.ComponentModel.Win32Exception)
                    {
                        Console.Error.WriteLine($"{name} could not be started again ({ex.Message.Split('\n')[0]}); trying again.");
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    private async Task WaitUntilReadyAsync(string name, CancellationToken cancellationToken)
    {
        var url = new Uri($"http://127.0.0.1:{PortOf(name)}/health/ready");
        await WaitForAsync($"{name} to be ready", TimeSpan.FromMinutes(3), async http =>
        {
            using var response = await http.GetAsync(url, cancellationToken);
            return response.IsSuccessStatusCode;
        }, cancellationToken);
    }

    /// <summary>
    /// "Up" means a visitor sees the store with its photos: the first page of products, each with its photo (a first
    /// run's photos are made in the background after the seed, well after Orders has learnt of the products). On
    /// data that has grown since, a product may have no photo at all: after a while the store counts as up anyway.
    /// </summary>
    private async Task WaitForTheDemoStoreAsync(CancellationToken cancellationToken)
    {
        Console.WriteLine("  waiting for the store's products and photos...");
        var photosAwaited = DateTimeOffset.UtcNow + TimeSpan.FromMinutes(3);
        var photosPending = false;
        await WaitForAsync("the store's products", TimeSpan.FromMinutes(6), async http =>
        {
            var page = await http.GetFromJsonAsync<ProductPage>($"{GatewayUrl}/api/catalog/products?pageSize=24", cancellationToken);
            if (page is null || page.Items.Count == 0)
            {
                return false;
            }

            var withPhoto = page.Items.FirstOrDefault(p => p.ImageUrl is not null);
            if (withPhoto is not null)
            {
                using var photo = await http.GetAsync(new Uri(new Uri(GatewayUrl), withPhoto.ImageUrl), cancellationToken);
                if (!photo.IsSuccessStatusCode)
                {
                    return false;
                }
            }

            photosPending = page.Items.Any(p => p.ImageUrl is null);
            return !photosPending || DateTimeOffset.UtcNow > photosAwaited;
        }, cancellationToken);
        if (photosPending)
        {
            Console.WriteLine("  (some products have no photo yet: it may still be being processed)");
        }
    }

    private async Task WaitForAsync(string what, TimeSpan patience, Func<HttpClient, Task<bool>> probe, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTimeOffset.UtcNow + patience;
        while (DateTimeOffset.UtcNow < deadline)
        {
            ThrowIfAServiceExited();
            try
            {
                if (await probe(http))
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (System.Text.Json.JsonException)
            {
                // Answered by something not yet ready to answer properly.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Too slow this once: starting up.
            }

            await Task.Delay(500, cancellationToken);
        }

        throw new TimeoutException($"Gave up waiting for {what} after {patience.TotalMinutes:0} minutes; the logs are in {LogFolder}.");
    }

    private void ThrowIfAServiceExited()
    {
        // While starting, a crash is restarted like any other; one that keeps crashing (a setting missing, a port
        // taken) would never be ready, so the start gives up with its log rather than wait minutes for nothing. The
        // dashboard only shows telemetry: the marketplace starts without it (its crashes and log are on the console).
        foreach (var service in _services.Where(s => !s.IsOptional))
        {
            if (service.CrashesInARow >= CrashesBeforeGivingUp)
            {
                throw new InvalidOperationException(
                    $"{service.Name} exited {service.CrashesInARow} times in a row. The end of its log (.local/logs/{service.Name}.log):{Environment.NewLine}{TailOfLog(service.Name)}");
            }
        }
    }

    public string TailOfLog(string name, int lines = 30)
    {
        var path = Path.Combine(LogFolder, name + ".log");
        return File.Exists(path) ? string.Join(Environment.NewLine, File.ReadLines(path).TakeLast(lines)) : "(no log)";
    }

    public async ValueTask DisposeAsync()
    {
        // No restarts from here on: what exits now was asked to.
        await _stopping.CancelAsync();
        var processes = _services.Select(s => s.Stop()).OfType<Process>().ToList();

        // Asked politely first (SIGTERM: a service finishes its requests and closes its connections), all at once;
        // whatever still runs after the grace period is killed.
        foreach (var process in processes)
        {
            if (!process.HasExited)
            {
                Terminate(process);
            }
        }

        using (var grace = new CancellationTokenSource(ServiceStopGrace))
        {
            foreach (var process in processes)
            {
                await process.WaitForExitAsync(grace.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        foreach (var process in processes)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }

        await Task.WhenAll(_services.Select(s => s.Supervision).Append(_infrastructureWatch)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopping.Dispose();

        // With the services gone nothing uses them any more: the servers stop side by side, not one after another,
        // so that a stop on a busy machine still ends within the half minute a person waits.
        await Task.WhenAll(
            _smtp is null ? Task.CompletedTask : _smtp.DisposeAsync().AsTask(),
            _rabbit is null ? Task.CompletedTask : _rabbit.DisposeAsync().AsTask(),
            _postgres is null ? Task.CompletedTask : _postgres.DisposeAsync().AsTask());
    }

    private static void Terminate(Process process)
    {
        // SIGTERM, which .NET's Process has no call for (Kill is SIGKILL): the service stops in order.
        if (SystemSignals.Kill(process.Id, SystemSignals.Terminate) != 0)
        {
            process.Kill(entireProcessTree: true);
        }
    }

    private sealed record ProductPage(IReadOnlyList<ProductSummary> Items);

    private sealed record ProductSummary(Guid Id, string? ImageUrl);
}

internal static partial class SystemSignals
{
    public const int Terminate = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);
}
