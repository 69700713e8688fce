using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Marketplace.ServiceDefaults.Data;

public static class MigrationExtensions
{
    /// <summary>The EF Core migrations history table, kept in each service's own schema.</summary>
    public const string HistoryTable = "__ef_migrations_history";

    /// <summary>
    /// <c>dotnet Service.dll migrate</c> applies <typeparamref name="TDbContext"/>'s migrations and exits: production
    /// runs it once (a Kubernetes Job) before the new version takes traffic. In Development, or with
    /// <c>Database:MigrateOnStartup=true</c>, the service migrates itself on start-up instead, then runs.
    /// </summary>
    public static async Task<int> RunWithMigrationsAsync<TDbContext>(this WebApplication app, string[] args)
        where TDbContext : DbContext
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Contains("migrate", StringComparer.OrdinalIgnoreCase))
        {
            await MigrateAsync<TDbContext>(app.Services, app.Lifetime.ApplicationStopping);
            return 0;
        }

        if (app.Environment.IsDevelopment() || app.Configuration.GetValue("Database:MigrateOnStartup", false))
        {
            await MigrateAsync<TDbContext>(app.Services, app.Lifetime.ApplicationStopping);
        }

        await app.RunAsync();
        return 0;
    }

    /// <summary>As <see cref="RunWithMigrationsAsync{TDbContext}"/>, for a service whose module keeps a second context (its own schema).</summary>
    public static async Task<int> RunWithMigrationsAsync<TDbContext, TModuleDbContext>(this WebApplication app, string[] args)
        where TDbContext : DbContext
        where TModuleDbContext : DbContext
    {
        ArgumentNullException.ThrowIfNull(args);
        var migrateOnly = args.Contains("migrate", StringComparer.OrdinalIgnoreCase);
        if (migrateOnly || app.Environment.IsDevelopment() || app.Configuration.GetValue("Database:MigrateOnStartup", false))
        {
            await MigrateAsync<TDbContext>(app.Services, app.Lifetime.ApplicationStopping);
            await MigrateAsync<TModuleDbContext>(app.Services, app.Lifetime.ApplicationStopping);
        }

        if (!migrateOnly)
        {
            await app.RunAsync();
        }

        return 0;
    }

    /// <summary>Applies pending migrations, waiting up to a minute for the database to accept connections.</summary>
    public static async Task MigrateAsync<TDbContext>(IServiceProvider services, CancellationToken cancellationToken)
        where TDbContext : DbContext
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Migrations");
        var deadline = DateTimeOffset.UtcNow.AddMinutes(1);
        while (true)
        {
            try
            {
                await using var scope = services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
                await db.Database.MigrateAsync(cancellationToken);
                logger.LogInformation("{DbContext} is migrated", typeof(TDbContext).Name);
                return;
            }
            catch (NpgsqlException ex) when (ex.IsTransient && DateTimeOffset.UtcNow < deadline)
            {
                logger.LogWarning("Database not reachable yet ({Message}); retrying", ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            }
        }
    }
}
