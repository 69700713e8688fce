using OpenIddict.Abstractions;

namespace Marketplace.Gateway.Tokens;

/// <summary>
/// Every issued token has a row (that is what makes revocation immediate); rows of tokens expired or revoked for
/// over two weeks are deleted hourly. Any replica may run it: pruning twice deletes nothing twice.
/// </summary>
public sealed partial class TokenPruning(IServiceScopeFactory scopes, TimeProvider clock, ILogger<TokenPruning> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var threshold = clock.GetUtcNow() - TimeSpan.FromDays(14);
                await scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>().PruneAsync(threshold, stoppingToken);
                await scope.ServiceProvider.GetRequiredService<IOpenIddictAuthorizationManager>().PruneAsync(threshold, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pruning old tokens failed; trying again in an hour")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
