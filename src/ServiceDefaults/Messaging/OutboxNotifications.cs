using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Marketplace.ServiceDefaults.Messaging;

/// <summary>
/// Wakes every replica's dispatcher when any replica commits outbox messages: a statement trigger on the outbox
/// table calls <c>pg_notify</c>, which PostgreSQL delivers at commit (and never for a rolled-back transaction) to
/// each listening connection. Without it a replica would find another's messages only at its next poll.
/// </summary>
public static class OutboxNotifications
{
    /// <summary>The channel the outbox table of <paramref name="schema"/> notifies on.</summary>
    public static string Channel(string schema) => $"{schema}.outbox";

    /// <summary>Creates the trigger; for a service's migration. The schema is the service's own constant.</summary>
    public static MigrationBuilder AddOutboxNotifications(this MigrationBuilder migrationBuilder, string schema)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.Sql(InstallSql(schema));
        return migrationBuilder;
    }

    /// <summary>Drops the trigger; for a migration's Down.</summary>
    public static MigrationBuilder DropOutboxNotifications(this MigrationBuilder migrationBuilder, string schema)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.Sql($"""
            DROP TRIGGER IF EXISTS {MessagingModelBuilderExtensions.OutboxTable}_notify ON "{schema}".{MessagingModelBuilderExtensions.OutboxTable};
            DROP FUNCTION IF EXISTS "{schema}".notify_outbox();
            """);
        return migrationBuilder;
    }

    /// <summary>
    /// One notification per inserting statement (PostgreSQL folds identical ones within a transaction into one), so a
    /// transaction that writes many messages costs one wakeup, not one per row.
    /// </summary>
    public static string InstallSql(string schema) => $"""
        CREATE OR REPLACE FUNCTION "{schema}".notify_outbox() RETURNS trigger LANGUAGE plpgsql AS $body$
        BEGIN
            PERFORM pg_notify(TG_TABLE_SCHEMA || '.outbox', '');
            RETURN NULL;
        END
        $body$;
        CREATE OR REPLACE TRIGGER {MessagingModelBuilderExtensions.OutboxTable}_notify
            AFTER INSERT ON "{schema}".{MessagingModelBuilderExtensions.OutboxTable}
            FOR EACH STATEMENT EXECUTE FUNCTION "{schema}".notify_outbox();
        """;
}

/// <summary>
/// Holds one connection per replica that listens for <see cref="OutboxNotifications"/> and pulses the dispatcher.
/// A lost connection is reopened with a backoff; meanwhile the dispatcher's poll still finds every message, and a
/// pulse after each reconnect covers whatever was committed while nobody listened.
/// </summary>
public sealed class OutboxNotificationListener<TDbContext>(
    IServiceScopeFactory scopes,
    OutboxSignal signal,
    IOptions<OutboxOptions> options,
    TimeProvider clock,
    ILogger<OutboxNotificationListener<TDbContext>> logger) : BackgroundService
    where TDbContext : DbContext
{
    private long _notifications;
    private volatile bool _listening;

    /// <summary>How many notifications this replica has received.</summary>
    public long Notifications => Interlocked.Read(ref _notifications);

    /// <summary>Whether the listening connection is open and subscribed.</summary>
    public bool Listening => _listening;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.DispatcherEnabled || !options.Value.ListenForNotifications)
        {
            return;
        }

        string connectionString;
        string channel;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
            channel = OutboxNotifications.Channel(db.OutboxSchema());
            connectionString = new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString())
            {
                // A connection of its own for as long as the replica lives, not one borrowed from the pool.
                Pooling = false,
                // Finds a connection the network dropped silently, so the reconnect below happens.
                KeepAlive = 30,
            }.ConnectionString;
        }

        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, _) =>
                {
                    Interlocked.Increment(ref _notifications);
                    signal.Pulse();
                };
                await using (var listen = new NpgsqlCommand($"LISTEN \"{channel}\"", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                failures = 0;
                _listening = true;
                signal.Pulse();
                while (true)
                {
                    // Blocks on the socket: no CPU while nothing is committed.
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException or IOException)
            {
                _listening = false;
                failures++;
                logger.LogWarning(ex, "Listening for outbox notifications failed ({Failures} in a row); the poll covers until it is back", failures);
                var delay = TimeSpan.FromSeconds(Math.Min(Math.Pow(2, Math.Min(failures, 5)), 30));
                await Task.Delay(delay, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }
}
