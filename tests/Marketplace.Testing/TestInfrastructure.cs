using Marketplace.LocalInfrastructure;

namespace Marketplace.Testing;

/// <summary>
/// One PostgreSQL server and one RabbitMQ node for the whole test assembly, started on first use on free
/// ports under a temporary folder, or reused when <c>MARKETPLACE_TEST_POSTGRES</c> (an Npgsql connection
/// string without a database) and <c>MARKETPLACE_TEST_RABBITMQ</c> (an amqp:// URI plus
/// <c>MARKETPLACE_TEST_RABBITMQ_MANAGEMENT</c>, the management port) are set. Each test takes its own
/// databases and virtual host from it (<see cref="TestScope"/>), so tests run in parallel without meeting.
/// </summary>
public static class TestInfrastructure
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static PostgresServer? _postgres;
    private static RabbitMqServer? _rabbit;

    /// <summary>Every test run's servers live under this folder, so a crashed run's leftovers can be found and stopped.</summary>
    public static string RunsRoot => Path.Combine(Path.GetTempPath(), "marketplace-tests");

    public static async Task<(string PostgresBase, RabbitMqServer? Rabbit, string RabbitBase)> GetSharedAsync()
    {
        await Gate.WaitAsync();
        try
        {
            var postgresFromEnvironment = Environment.GetEnvironmentVariable("MARKETPLACE_TEST_POSTGRES");
            var rabbitFromEnvironment = Environment.GetEnvironmentVariable("MARKETPLACE_TEST_RABBITMQ");
            if (postgresFromEnvironment is null && _postgres is null)
            {
                _postgres = await PostgresServer.StartAsync(NewRunFolder("postgres"), durable: false, deleteOnDispose: true);
                AppDomain.CurrentDomain.ProcessExit += (_, _) => _postgres.KillNow();
            }

            if (rabbitFromEnvironment is null && _rabbit is null)
            {
                _rabbit = await RabbitMqServer.StartAsync(NewRunFolder("rabbitmq"), deleteOnDispose: true);
                AppDomain.CurrentDomain.ProcessExit += (_, _) => _rabbit.KillNow();
            }

            var postgresBase = postgresFromEnvironment ?? _postgres!.ConnectionString("postgres");
            var rabbitBase = rabbitFromEnvironment ?? _rabbit!.ConnectionString();
            return (postgresBase, _rabbit, rabbitBase);
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>A folder of its own for a server a single test starts and stops (an outage test).</summary>
    public static string NewRunFolder(string name) =>
        Path.Combine(RunsRoot, $"{Environment.ProcessId}-{name}-{Guid.NewGuid():N}"[..40]);
}
