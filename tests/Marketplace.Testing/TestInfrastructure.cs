using Marketplace.LocalInfrastructure;

namespace Marketplace.Testing;

/// <summary>
/// One PostgreSQL server and one RabbitMQ node (and one SMTP server, for tests that send email) for the whole test
/// assembly, started on first use on free ports under a temporary folder, or reused when
/// <c>MARKETPLACE_TEST_POSTGRES</c> (an Npgsql connection string without a database) and
/// <c>MARKETPLACE_TEST_RABBITMQ</c> (an amqp:// URI plus <c>MARKETPLACE_TEST_RABBITMQ_MANAGEMENT</c>, the management
/// port) are set. Each test takes its own databases, virtual host and email addresses from it
/// (<see cref="TestScope"/>), so tests run in parallel without meeting.
/// </summary>
public static class TestInfrastructure
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static PostgresServer? _postgres;
    private static RabbitMqServer? _rabbit;
    private static readonly SemaphoreSlim SmtpGate = new(1, 1);
    private static TestMail? _mail;

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

    /// <summary>
    /// One SMTP server (smtp4dev) for the whole test assembly, started on first use, so a run whose tests send no
    /// email never starts it. Tests tell their messages apart by recipient (<see cref="TestScope.EmailAddress"/>).
    /// </summary>
    public static async Task<TestMail> GetSharedMailAsync()
    {
        await SmtpGate.WaitAsync();
        try
        {
            if (_mail is null)
            {
                var server = await SmtpServer.StartAsync(NewRunFolder("smtp4dev"), deleteOnDispose: true);
                AppDomain.CurrentDomain.ProcessExit += (_, _) => server.KillNow();
                _mail = new TestMail(server.Host, server.SmtpPort, server.WebUrl, new SmtpInbox(server.WebUrl));
            }

            return _mail;
        }
        finally
        {
            SmtpGate.Release();
        }
    }

    /// <summary>A folder of its own for a server a single test starts and stops (an outage test).</summary>
    public static string NewRunFolder(string name) =>
        Path.Combine(RunsRoot, $"{Environment.ProcessId}-{name}-{Guid.NewGuid():N}"[..40]);
}

/// <summary>Where a service under test sends email (plain SMTP, no TLS, no credentials) and how the test reads it back.</summary>
/// <param name="WebUrl">The server's web inbox, for looking at the messages by eye while debugging a test.</param>
public sealed record TestMail(string Host, int Port, Uri WebUrl, SmtpInbox Inbox);
