using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Marketplace.Gateway.Data;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the service.</summary>
internal sealed class DesignTimeGatewayDbContextFactory : IDesignTimeDbContextFactory<GatewayDbContext>
{
    public GatewayDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<GatewayDbContext>()
            .UseNpgsql("Host=localhost;Database=marketplace_gateway", npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history", GatewayDbContext.Schema))
            .UseSnakeCaseNamingConvention()
            .Options;
        return new GatewayDbContext(options);
    }
}
