using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;

namespace Marketplace.LocalInfrastructure;

/// <summary>
/// A RabbitMQ node from the machine's packages, started without systemd, with its own ports, Erlang
/// port mapper, cookie and data folder, so it never meets another node on the machine.
/// </summary>
public sealed class RabbitMqServer : IAsyncDisposable
{
    private const string BinDirectory = "/usr/lib/rabbitmq/bin";
    private readonly string _root;
    private readonly bool _deleteOnDispose;
    private Process? _process;

    private RabbitMqServer(string root, int amqpPort, int managementPort, int epmdPort, int distributionPort, bool deleteOnDispose, string? nodeName)
    {
        NodeName = nodeName ?? $"rabbit{amqpPort}@localhost";
        DistributionPort = distributionPort;
        _root = root;
        AmqpPort = amqpPort;
        ManagementPort = managementPort;
        EpmdPort = epmdPort;
        _deleteOnDispose = deleteOnDispose;
    }

    public int AmqpPort { get; }

    /// <summary>The management UI and HTTP API (user guest, password guest): queues, including <c>_error</c> ones.</summary>
    public int ManagementPort { get; }

    public int EpmdPort { get; }

    public int DistributionPort { get; }

    /// <summary>The node's name, which names its data folder: the same name finds the same queues and messages.</summary>
    public string NodeName { get; }

    public bool IsRunning => _process is { HasExited: false };

    public string ConnectionString(string virtualHost = "/") =>
        $"amqp://guest:guest@127.0.0.1:{AmqpPort}/{Uri.EscapeDataString(virtualHost)}";

    /// <param name="nodeName">The node's name (<c>rabbit{amqpPort}@localhost</c> when null): a run that keeps its data
    /// across starts names it the same whichever port it gets.</param>
    public static async Task<RabbitMqServer> StartAsync(
        string root, int? amqpPort = null, int? managementPort = null, bool deleteOnDispose = false, string? nodeName = null, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(Path.Combine(BinDirectory, "rabbitmq-server")))
        {
            throw new InvalidOperationException("RabbitMQ was not found. Install it: sudo apt-get install -y rabbitmq-server");
        }

        var server = new RabbitMqServer(
            Path.GetFullPath(root),
            amqpPort ?? FreePorts.Next(),
            managementPort ?? FreePorts.Next(),
            FreePorts.Next(),
            FreePorts.Next(),
            deleteOnDispose,
            nodeName);
        server.WriteConfiguration();
        await server.StartAsync(cancellationToken);
        return server;
    }

    private Dictionary<string, string> Environment => new()
    {
        ["HOME"] = Path.Combine(_root, "home"),
        ["RABBITMQ_NODENAME"] = NodeName,
        ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
        ["RABBITMQ_NODE_PORT"] = AmqpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["RABBITMQ_DIST_PORT"] = DistributionPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["ERL_EPMD_PORT"] = EpmdPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["RABBITMQ_MNESIA_BASE"] = Path.Combine(_root, "mnesia"),
        ["RABBITMQ_LOG_BASE"] = Path.Combine(_root, "log"),
        ["RABBITMQ_CONFIG_FILE"] = Path.Combine(_root, "rabbitmq.conf"),
        ["RABBITMQ_ADVANCED_CONFIG_FILE"] = Path.Combine(_root, "advanced.config"),
        ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(_root, "enabled_plugins"),
        ["RABBITMQ_PID_FILE"] = Path.Combine(_root, "rabbitmq.pid"),
        ["RABBITMQ_CONF_ENV_FILE"] = Path.Combine(_root, "rabbitmq-env.conf"),
        ["RABBITMQ_LOGS"] = "-",
    };

    private void WriteConfiguration()
    {
        // Lets a clean-up script find and stop this node's port mapper if the process that started it dies.
        Directory.CreateDirectory(_root);
        File.WriteAllText(Path.Combine(_root, "epmd.port"), EpmdPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var folder in new[] { "home", "mnesia", "log" })
        {
            Directory.CreateDirectory(Path.Combine(_root, folder));
        }

        File.WriteAllText(Path.Combine(_root, "rabbitmq.conf"), $"""
            listeners.tcp.1 = 127.0.0.1:{AmqpPort}
            management.tcp.ip = 127.0.0.1
            management.tcp.port = {ManagementPort}
            loopback_users = none
            disk_free_limit.absolute = 50MB
            collect_statistics_interval = 500
            log.console = true
            log.console.level = warning
            log.file = false
            """);
        File.WriteAllText(Path.Combine(_root, "advanced.config"), "[].\n");
        File.WriteAllText(Path.Combine(_root, "enabled_plugins"), "[rabbitmq_management].\n");
        File.WriteAllText(Path.Combine(_root, "rabbitmq-env.conf"), string.Empty);
    }

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        _process = ProcessRunner.StartLogged(Path.Combine(BinDirectory, "rabbitmq-server"), [], Path.Combine(_root, "rabbitmq.log"), Environment);
        var deadline = DateTimeOffset.UtcNow.AddSeconds(90);
        while (true)
        {
            // await_startup gives up at once while the node has not registered with epmd yet: ask again.
            string output;
            try
            {
                await Ctl(["await_startup", "--timeout", "60"], TimeSpan.FromSeconds(70), cancellationToken);
                return;
            }
            catch (InvalidOperationException ex)
            {
                output = ex.Message;
            }

            if (_process.HasExited || DateTimeOffset.UtcNow > deadline)
            {
                var log = File.Exists(Path.Combine(_root, "rabbitmq.log")) ? await File.ReadAllTextAsync(Path.Combine(_root, "rabbitmq.log"), cancellationToken) : string.Empty;
                await StopAsync();
                throw new InvalidOperationException($"RabbitMQ did not start.\n{output}\n{log}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
        }
    }

    /// <summary>Creates a virtual host, so one test's queues never meet another's.</summary>
    public Task CreateVirtualHostAsync(string name, CancellationToken cancellationToken = default) =>
        CreateVirtualHostAsync(ManagementPort, name, cancellationToken);

    /// <summary>Creates a virtual host on any node whose management API listens on <paramref name="managementPort"/>.</summary>
    public static async Task CreateVirtualHostAsync(int managementPort, string name, CancellationToken cancellationToken = default)
    {
        using var http = ManagementClient(managementPort);
        var vhost = Uri.EscapeDataString(name);
        (await http.PutAsync(new Uri($"vhosts/{vhost}", UriKind.Relative), null, cancellationToken)).EnsureSuccessStatusCode();
        using var permissions = new StringContent("""{"configure":".*","write":".*","read":".*"}""", Encoding.UTF8, "application/json");
        (await http.PutAsync(new Uri($"permissions/{vhost}/guest", UriKind.Relative), permissions, cancellationToken)).EnsureSuccessStatusCode();
    }

    /// <summary>Messages waiting in a queue, read through the management API.</summary>
    public static async Task<int> QueueDepthAsync(int managementPort, string virtualHost, string queue, CancellationToken cancellationToken = default)
    {
        using var http = ManagementClient(managementPort);
        using var response = await http.GetAsync(new Uri($"queues/{Uri.EscapeDataString(virtualHost)}/{Uri.EscapeDataString(queue)}", UriKind.Relative), cancellationToken);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return 0;
        }

        response.EnsureSuccessStatusCode();
        using var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return json.RootElement.TryGetProperty("messages", out var messages) ? messages.GetInt32() : 0;
    }

    private static HttpClient ManagementClient(int managementPort)
    {
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{managementPort}/api/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes("guest:guest")));
        return http;
    }

    /// <summary>Shuts the node down, as an outage would; <see cref="RestartAsync"/> brings it back with its data.</summary>
    public async Task StopAsync()
    {
        if (_process is null)
        {
            return;
        }

        await Ctl(["shutdown"], TimeSpan.FromSeconds(60), CancellationToken.None, throwOnFailure: false);
        if (!_process.WaitForExit(TimeSpan.FromSeconds(20)))
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
        _process = null;
        await ProcessRunner.RunAsync("epmd", ["-port", EpmdPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "-kill"],
            Environment, throwOnFailure: false, timeout: TimeSpan.FromSeconds(10));
    }

    public Task RestartAsync(CancellationToken cancellationToken = default) => StartAsync(cancellationToken);

    /// <summary>
    /// Kills the node without the orderly shutdown, for when a test process is exiting and has no time to wait.
    /// </summary>
    public void KillNow()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(TimeSpan.FromSeconds(10));
        }

        _process = null;
        using var epmd = System.Diagnostics.Process.Start("epmd", ["-port", EpmdPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "-kill"]);
        epmd?.WaitForExit(TimeSpan.FromSeconds(5));
        if (_deleteOnDispose)
        {
            PostgresServer.TryDelete(_root);
        }
    }

    private Task<string> Ctl(string[] arguments, TimeSpan timeout, CancellationToken cancellationToken, bool throwOnFailure = true) =>
        ProcessRunner.RunAsync(
            Path.Combine(BinDirectory, "rabbitmqctl"),
            ["-n", NodeName, .. arguments],
            Environment,
            timeout: timeout,
            throwOnFailure: throwOnFailure,
            cancellationToken: cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (_deleteOnDispose)
        {
            PostgresServer.TryDelete(_root);
        }
    }
}
