using Marketplace.ServiceDefaults;
using Marketplace.Web.Components;

namespace Marketplace.Web;

public sealed class Program
{
    private Program()
    {
    }

    public static async Task<int> Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults();
        builder.Services.AddRazorComponents();

        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapRazorComponents<App>();

        await app.RunAsync();
        return 0;
    }
}
