using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Marketplace.ServiceDefaults.Data;

/// <summary>
/// Something a replica wants to hear about as soon as any replica commits it: PostgreSQL delivers a
/// <c>NOTIFY</c> (sent by a trigger, say) at commit, never for a rolled-back transaction, to every listener.
/// </summary>
public interface IPostgresNotificationHandler
{
    /// <summary>Whether this replica listens for it at all.</summary>
    bool Enabled { get; }

    /// <summary>The channel, named from the service's model (its schema, for one).</summary>
    string Channel(DbContext db);

    /// <summary>Called on the listening connection's thread: hand the work off, do not block.</summary>
    void Notified(string payload);

    /// <summary>
    /// The connection is (again) listening. Notifications sent while it was not are lost, so whoever waits for one
    /// should look for itself now.
    /// </summary>
    void Listening();
}

/// <summary>
/// One connection per replica that listens on every channel the service's <see cref="IPostgresNotificationHandler"/>s
/// name. It blocks on its socket, so it costs nothing while nothing is committed. A lost connection is reopened with
/// a backoff; each handler is told when listening starts again.
/// </summary>
/// <remarks>Needs a session of its own: through a pooler in transaction mode (PgBouncer's default), LISTEN does not work.</remarks>
public sealed class PostgresNotificationListener<TDbContext>(
    IServiceScopeFactory scopes,
    IEnumerable<IPostgresNotificationHandler> handlers,
    TimeProvider clock,
    ILogger<PostgresNotificationListener<TDbContext>> logger) : BackgroundService
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
        var active = handlers.Where(h => h.Enabled).ToList();
        if (active.Count == 0)
        {
            return;
        }

        string connectionString;
        Dictionary<string, List<IPostgresNotificationHandler>> byChannel;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
            byChannel = active.GroupBy(h => h.Channel(db)).ToDictionary(g => g.Key, g => g.ToList());
            connectionString = new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString())
            {
                // A connection of its own for as long as the replica lives, not one borrowed from the pool.
                Pooling = false,
                // Waiting for notifications needs a connection to itself, even where a connection string multiplexes.
                Multiplexing = false,
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
                connection.Notification += (_, e) =>
                {
                    Interlocked.Increment(ref _notifications);
                    if (byChannel.TryGetValue(e.Channel, out var listeners))
                    {
                        listeners.ForEach(l => l.Notified(e.Payload));
                    }
                };
                foreach (var channel in byChannel.Keys)
                {
                    // Channel names come from the services' own models, never from input.
                    await using var listen = new NpgsqlCommand($"LISTEN \"{channel}\"", connection);
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                failures = 0;
                _listening = true;
                active.ForEach(h => h.Listening());
                while (true)
                {
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
                logger.LogWarning(ex, "Listening for PostgreSQL notifications failed ({Failures} in a row); retrying", failures);
                var delay = TimeSpan.FromSeconds(Math.Min(Math.Pow(2, Math.Min(failures, 5)), 30));
                await Task.Delay(delay, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }
}

public static class PostgresNotificationExtensions
{
    /// <summary>Registers <paramref name="handler"/>'s channel on the service's one listening connection.</summary>
    public static IServiceCollection AddPostgresNotifications<TDbContext, THandler>(this IServiceCollection services)
        where TDbContext : DbContext
        where THandler : class, IPostgresNotificationHandler
    {
        services.AddSingleton<THandler>();
        // Keyed by the context: a service with two contexts (a module's own) has a listener for each, and each listens
        // only for its own handlers' channels, named from its own model, on its own database.
        services.AddKeyedSingleton<IPostgresNotificationHandler>(typeof(TDbContext), (sp, _) => sp.GetRequiredService<THandler>());
        if (!services.Any(d => d.ServiceType == typeof(PostgresNotificationListener<TDbContext>)))
        {
            services.AddSingleton(sp => new PostgresNotificationListener<TDbContext>(
                sp.GetRequiredService<IServiceScopeFactory>(),
                sp.GetKeyedServices<IPostgresNotificationHandler>(typeof(TDbContext)),
                sp.GetService<TimeProvider>() ?? TimeProvider.System,
                sp.GetRequiredService<ILogger<PostgresNotificationListener<TDbContext>>>()));
            services.AddHostedService(sp => sp.GetRequiredService<PostgresNotificationListener<TDbContext>>());
        }

        return services;
    }
}
