using Marketplace.Orders.Settlement;
using Marketplace.ServiceDefaults;
using Marketplace.ServiceDefaults.Data;

namespace Marketplace.Orders;

public sealed class Program
{
    private Program()
    {
    }

    public static async Task<int> Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults();
        builder.AddOrders();
        builder.AddSettlement();

        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapOrdersApi();
        app.MapSettlement();

        return await app.RunWithMigrationsAsync<OrdersDbContext, Settlement.Data.SettlementDbContext>(args);
    }
}
