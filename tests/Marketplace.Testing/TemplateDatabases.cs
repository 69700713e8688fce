using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Marketplace.Testing;

/// <summary>
/// Test databases made as copies of an already migrated one. Every fixture starts its services on databases of its own,
/// and each service applied all its migrations to them on start (Orders 37, Catalog 19): seconds of CPU per fixture, on
/// a machine whose suite is bound by its two cores. The first host of a service in a test process migrates as before;
/// then a template is migrated beside it, and every later database of that service on the same server starts as
/// <c>CREATE DATABASE … TEMPLATE</c>, so the service finds nothing left to apply. Its migrations still run in full once
/// per test process, and the services' start-up still checks them.
/// </summary>
internal static partial class TemplateDatabases
{
    private static readonly ConcurrentDictionary<string, Template> Templates = new(StringComparer.Ordinal);
    private static int _made;

    /// <summary>
    /// Creates each of <paramref name="connectionStrings"/>' databases as a copy of its template, when the template is
    /// ready; otherwise leaves it to the service to create and migrate.
    /// </summary>
    public static void CloneWhereReady(Type program, IEnumerable<string> connectionStrings)
    {
        foreach (var connectionString in connectionStrings)
        {
            if (Parse(program, connectionString) is not { } target || !Templates.TryGetValue(target.Key, out var template) || !template.Ready)
            {
                continue;
            }

            try
            {
                using var server = new NpgsqlConnection(ServerConnection(connectionString));
                server.Open();
                using var create = new NpgsqlCommand($"CREATE DATABASE \"{target.Database}\" TEMPLATE \"{template.Name}\"", server);
                create.ExecuteNonQuery();
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.DuplicateDatabase)
            {
                // A second replica of the same service: the first one made it.
            }
            catch (NpgsqlException ex)
            {
                // The service creates and migrates it as it would without a template.
                Console.Error.WriteLine($"{target.Database} was not copied from {template.Name}: {ex.Message}");
            }
        }
    }

    /// <summary>
    /// After <paramref name="program"/>'s host has started (and migrated its databases): makes the template of each of
    /// them that has none yet, by migrating a new database with the host's own contexts.
    /// </summary>
    public static void MakeMissing(Type program, IServiceProvider services, IReadOnlyCollection<Type> contextTypes, IEnumerable<string> connectionStrings)
    {
        foreach (var connectionString in connectionStrings)
        {
            if (Parse(program, connectionString) is not { } database)
            {
                continue;
            }

            var template = new Template($"tmpl_{Environment.ProcessId}_{Interlocked.Increment(ref _made)}_{database.Name}");
            if (!Templates.TryAdd(database.Key, template))
            {
                continue;
            }

            try
            {
                template.Ready = Migrate(services, contextTypes, database.Database, connectionString, template.Name);
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
            {
                // No template: every fixture keeps migrating its own, as before.
                Console.Error.WriteLine($"The template {template.Name} was not made: {ex.Message}");
            }
        }
    }

    /// <summary>Migrates every context of the host whose database is <paramref name="database"/> into the template.</summary>
    private static bool Migrate(IServiceProvider services, IReadOnlyCollection<Type> contextTypes, string database, string connectionString, string templateName)
    {
        var templateConnection = new NpgsqlConnectionStringBuilder(connectionString) { Database = templateName, Pooling = false }.ConnectionString;
        var migratedAny = false;
        using var scope = services.CreateScope();
        foreach (var contextType in contextTypes)
        {
            var options = (DbContextOptions)scope.ServiceProvider.GetRequiredService(typeof(DbContextOptions<>).MakeGenericType(contextType));
            var configured = options.Extensions.OfType<RelationalOptionsExtension>().FirstOrDefault()?.ConnectionString;
            if (configured is null || new NpgsqlConnectionStringBuilder(configured).Database != database)
            {
                continue;
            }

            // A context of its own, outside the service's pool, pointed at the template.
            using var context = (DbContext)ActivatorUtilities.CreateInstance(scope.ServiceProvider, contextType);
            if (!context.Database.GetMigrations().Any())
            {
                // Made with EnsureCreated, which takes any table as "already created": a copy would fool it.
                return false;
            }

            context.Database.SetConnectionString(templateConnection);
            context.Database.Migrate();
            migratedAny = true;
        }

        return migratedAny;
    }

    /// <summary>
    /// A test database's name and the key of its template, or null for a database no test made. A template is made per
    /// service, per database of it, per server (a test may start a server of its own).
    /// </summary>
    private static TestDatabase? Parse(Type program, string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var database = builder.Database ?? string.Empty;
        var match = TestDatabaseName().Match(database);
        if (!match.Success)
        {
            return null;
        }

        var name = match.Groups["name"].Value;
        return new TestDatabase($"{builder.Host}:{builder.Port}/{program.FullName}/{name}", database, name);
    }

    private static string ServerConnection(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false }.ConnectionString;

    /// <summary>The names <see cref="TestScope.Database"/> gives.</summary>
    [GeneratedRegex("^t_[0-9a-f]{12}_(?<name>[a-z0-9_]+)$")]
    private static partial Regex TestDatabaseName();

    /// <param name="Key">Which template serves it.</param>
    /// <param name="Database">Its full name on the server.</param>
    /// <param name="Name">The part of its name that says which of the service's databases it is.</param>
    private sealed record TestDatabase(string Key, string Database, string Name);

    private sealed class Template(string name)
    {
        private int _ready;

        public string Name { get; } = name;

        /// <summary>Migrated, and no connection left open to it (a template must have none).</summary>
        public bool Ready
        {
            get => Volatile.Read(ref _ready) == 1;
            set => Volatile.Write(ref _ready, value ? 1 : 0);
        }
    }
}
