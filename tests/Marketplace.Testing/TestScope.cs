using Marketplace.LocalInfrastructure;
using Npgsql;

namespace Marketplace.Testing;

/// <summary>A test's own databases, RabbitMQ virtual host and email addresses on the shared servers.</summary>
public sealed class TestScope
{
    private readonly string _postgresBase;
    private readonly string _rabbitBase;
    private readonly string _id = Guid.NewGuid().ToString("N")[..12];

    private readonly int _managementPort;

    private TestScope(string postgresBase, string rabbitBase, string virtualHost, int managementPort)
    {
        _managementPort = managementPort;
        _postgresBase = postgresBase;
        _rabbitBase = rabbitBase;
        VirtualHost = virtualHost;
    }

    public string VirtualHost { get; }

    /// <summary>The RabbitMQ management API holding this test's virtual host.</summary>
    public Uri ManagementUrl => new($"http://127.0.0.1:{_managementPort}");

    public string RabbitMqConnectionString => new UriBuilder(_rabbitBase) { Path = "/" + Uri.EscapeDataString(VirtualHost) }.Uri.ToString();

    /// <summary>A database name unique to this test; EF Core creates it on first migration.</summary>
    public string Database(string name)
    {
        var builder = new NpgsqlConnectionStringBuilder(_postgresBase) { Database = $"t_{_id}_{name}", IncludeErrorDetail = true };
        return builder.ConnectionString;
    }

    /// <summary>
    /// An email address no other test uses (its domain is this test's own, under the reserved <c>.test</c>): the
    /// shared SMTP server (<see cref="TestInfrastructure.GetSharedMailAsync"/>) holds every test's messages, and a test
    /// reads back only those sent to its addresses.
    /// </summary>
    public string EmailAddress(string name) => $"{name}@t{_id}.test";

    public static async Task<TestScope> CreateAsync()
    {
        var (postgresBase, rabbit, rabbitBase) = await TestInfrastructure.GetSharedAsync();
        var virtualHost = $"test-{Guid.NewGuid():N}";
        var managementPort = ManagementPortOf(rabbit);
        await RabbitMqServer.CreateVirtualHostAsync(managementPort, virtualHost);
        return new TestScope(postgresBase, rabbitBase, virtualHost, managementPort);
    }

    /// <summary>Messages waiting in one of this test's queues, e.g. an <c>_error</c> queue.</summary>
    public Task<int> QueueDepthAsync(string queue) => RabbitMqServer.QueueDepthAsync(_managementPort, VirtualHost, queue);

    /// <summary>A scope on servers the test controls itself (to stop and restart them).</summary>
    public static async Task<TestScope> CreateOnAsync(PostgresServer? postgres, RabbitMqServer? rabbit)
    {
        var shared = await TestInfrastructure.GetSharedAsync();
        var postgresBase = postgres?.ConnectionString("postgres") ?? shared.PostgresBase;
        var rabbitServer = rabbit ?? shared.Rabbit;
        var rabbitBase = rabbit?.ConnectionString() ?? shared.RabbitBase;
        var virtualHost = $"test-{Guid.NewGuid():N}";
        var managementPort = ManagementPortOf(rabbitServer);
        await RabbitMqServer.CreateVirtualHostAsync(managementPort, virtualHost);
        return new TestScope(postgresBase, rabbitBase, virtualHost, managementPort);
    }

    private static int ManagementPortOf(RabbitMqServer? rabbit)
    {
        if (rabbit is not null)
        {
            return rabbit.ManagementPort;
        }

        var managementPort = Environment.GetEnvironmentVariable("MARKETPLACE_TEST_RABBITMQ_MANAGEMENT")
            ?? throw new InvalidOperationException("MARKETPLACE_TEST_RABBITMQ_MANAGEMENT (the management port) must be set with MARKETPLACE_TEST_RABBITMQ.");
        return int.Parse(managementPort, System.Globalization.CultureInfo.InvariantCulture);
    }
}
