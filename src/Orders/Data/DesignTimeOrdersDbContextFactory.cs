using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Marketplace.Orders.Data;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the service.</summary>
internal sealed class DesignTimeOrdersDbContextFactory : IDesignTimeDbContextFactory<OrdersDbContext>
{
    public OrdersDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<OrdersDbContext>()
            .UseNpgsql("Host=localhost;Database=marketplace_orders", npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history", OrdersDbContext.Schema))
            .UseSnakeCaseNamingConvention()
            .Options;
        return new OrdersDbContext(options);
    }
}
