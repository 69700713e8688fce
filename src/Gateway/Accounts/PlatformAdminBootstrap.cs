using Marketplace.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Marketplace.Gateway.Accounts;

/// <summary>
/// Someone has to register the first cooperative: the platform admin account named in configuration is created
/// at start-up if it does not exist yet (its password from a secret). Replicas racing to create it are harmless:
/// the email is unique, and the loser finds it made.
/// </summary>
public sealed partial class PlatformAdminBootstrap(IServiceScopeFactory scopes, IOptions<AccountOptions> options, TimeProvider clock, ILogger<PlatformAdminBootstrap> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (string.IsNullOrWhiteSpace(settings.PlatformAdminEmail) || string.IsNullOrWhiteSpace(settings.PlatformAdminPassword))
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<MarketplaceUser>>();
        if (await users.FindByEmailAsync(settings.PlatformAdminEmail) is not null)
        {
            return;
        }

        try
        {
            var admin = MarketplaceUser.Create("Platform admin", settings.PlatformAdminEmail, phone: null, clock.GetUtcNow());
            var created = await users.CreateAsync(admin, settings.PlatformAdminPassword);
            if (created.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.DuplicateUserName)))
            {
                return;
            }

            if (!created.Succeeded)
            {
                throw new InvalidOperationException("The platform admin account cannot be created: " + string.Join("; ", created.Errors.Select(e => e.Description)));
            }

            // Saved with the role, in the same SaveChanges.
            AccountContacts.Changed(scope.ServiceProvider.GetRequiredService<ServiceDefaults.Messaging.IOutbox>(), admin, [], clock.GetUtcNow());
            await users.AddToRoleAsync(admin, MarketplaceRoles.PlatformAdmin);
            LogCreated(logger, settings.PlatformAdminEmail);
        }
        catch (DbUpdateException)
        {
            // Another replica may have created it first; anything else is a real failure.
            scope.ServiceProvider.GetRequiredService<Data.GatewayDbContext>().ChangeTracker.Clear();
            if (await users.FindByEmailAsync(settings.PlatformAdminEmail) is null)
            {
                throw;
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Platform admin account {Email} created")]
    private static partial void LogCreated(ILogger logger, string email);
}
