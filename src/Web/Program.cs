using Marketplace.ServiceDefaults;
using Marketplace.ServiceDefaults.Identity;
using Marketplace.Web.Components;
using Marketplace.Web.Forms;

namespace Marketplace.Web;

public sealed class Program
{
    private Program()
    {
    }

    public static async Task<int> Main(string[] args)
    {
        // dotnet Marketplace.Web.dll new-key-ring <folder>: the key ring the replicas share (deploy/README.md).
        if (args is ["new-key-ring", var folder])
        {
            Console.WriteLine(WebServiceExtensions.CreateKeyRing(folder));
            return 0;
        }

        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults();
        builder.AddServiceAuthentication();
        builder.AddWeb();

        var app = builder.Build();
        app.UseForwardedHeaders();
        // A service that cannot answer a page's reads shows a page that says so, in the visitor's language, in every
        // environment: never a stack trace, never an empty 500 (the exception is logged all the same).
        app.UseExceptionHandler(Paths.Error, createScopeForErrors: true);

        app.UseResponseCompression();
        // A browser asking for a page that is not there, or refused, gets a page in its reader's language.
        app.MapDefaultEndpoints(statusCodePage: Paths.StatusPage);
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapWebForms();
        app.MapCurrencyChoice();
        app.MapRazorComponents<App>();

        await app.RunAsync();
        return 0;
    }
}
