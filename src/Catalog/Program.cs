using Marketplace.Catalog.Data;
using Marketplace.ServiceDefaults;
using Marketplace.ServiceDefaults.Data;

namespace Marketplace.Catalog;

public sealed class Program
{
    private Program()
    {
    }

    public static async Task<int> Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults();
        builder.AddCatalog();

        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapCatalogApi();

        if (app.Configuration.GetValue("Seed:Demo", false))
        {
            // The local run's living store; migrations run first, so seed when the host has started.
            app.Lifetime.ApplicationStarted.Register(() => _ = Seed.DemoSeeder.SeedLoggedAsync(app.Services, app.Lifetime.ApplicationStopping));
        }

        return await app.RunWithMigrationsAsync<CatalogDbContext>(args);
    }
}
