using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Marketplace.ServiceDefaults.Data;

/// <summary>
/// Lets <c>dotnet ef migrations add</c> build a service's model without starting the service, with the same
/// schema, history table and naming convention the service runs with.
/// </summary>
public abstract class ServiceDbContextDesignTimeFactory<TDbContext>(string schema, Func<DbContextOptions<TDbContext>, TDbContext> create)
    : IDesignTimeDbContextFactory<TDbContext>
    where TDbContext : DbContext
{
    public TDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<TDbContext>()
            .UseNpgsql($"Host=localhost;Database=design_{schema}", npgsql => npgsql.MigrationsHistoryTable(MigrationExtensions.HistoryTable, schema))
            .UseSnakeCaseNamingConvention()
            .Options;
        return create(options);
    }
}
