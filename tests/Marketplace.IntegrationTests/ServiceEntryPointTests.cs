using System.Net;
using Marketplace.Catalog.Data;
using Marketplace.Testing;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Marketplace.IntegrationTests;

public sealed class ServiceEntryPointTests
{
    [Fact]
    public async Task The_migrate_entry_point_creates_the_schema_and_exits()
    {
        var scope = await TestScope.CreateAsync();
        var database = scope.Database("catalog_migrate");

        var exitCode = await Catalog.Program.Main(
        [
            "migrate",
            $"--ConnectionStrings:catalogdb={database}",
            $"--ConnectionStrings:rabbitmq={scope.RabbitMqConnectionString}",
            $"--ServiceTokens:Jwks={TestTokens.Issuer.PublicJwks}",
            "--Logging:LogLevel:Default=Warning",
        ]);

        Assert.Equal(0, exitCode);
        var options = new DbContextOptionsBuilder<CatalogDbContext>()
            .UseNpgsql(database, npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history", CatalogDbContext.Schema))
            .UseSnakeCaseNamingConvention()
            .Options;
        await using var db = new CatalogDbContext(options);
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(0, await db.Cooperatives.CountAsync());
        NpgsqlConnection.ClearAllPools();
    }

    [Fact]
    public async Task Each_service_publishes_its_OpenAPI_document()
    {
        var scope = await TestScope.CreateAsync();
        await using var services = await CatalogAndOrders.StartAsync(scope);

        var catalog = await services.Catalog.CreateClient().GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        var orders = await services.Orders.CreateClient().GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, catalog.StatusCode);
        Assert.Contains("/api/catalog/cooperatives", await catalog.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, orders.StatusCode);
        Assert.Contains("/api/orders/merchants/{cooperativeId}", await orders.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
