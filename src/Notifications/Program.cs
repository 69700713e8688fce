using Marketplace.ServiceDefaults;
using Marketplace.ServiceDefaults.Data;

namespace Marketplace.Notifications;

public sealed class Program
{
    private Program()
    {
    }

    public static async Task<int> Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults();
        builder.AddNotifications();

        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapNotificationsApi();

        return await app.RunWithMigrationsAsync<NotificationsDbContext>(args);
    }
}
