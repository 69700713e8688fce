using Marketplace.Gateway.Data;
using Marketplace.ServiceDefaults;
using Marketplace.ServiceDefaults.Data;

namespace Marketplace.Gateway;

public sealed class Program
{
    private Program()
    {
    }

    public static async Task<int> Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults();
        builder.AddGateway();

        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapGateway();

        return await app.RunWithMigrationsAsync<GatewayDbContext>(args);
    }
}
