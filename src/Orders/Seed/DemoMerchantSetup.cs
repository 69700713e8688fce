using Marketplace.Orders.Merchants;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Orders.Seed;

/// <summary>
/// The local run's demo cooperative takes cards (a Stripe account on the emulator) and ships across Indonesia, so
/// a developer can buy from it at once. It waits for Catalog's demo seed to reach Orders, then sets what is unset.
/// </summary>
public sealed partial class DemoMerchantSetup(IServiceScopeFactory scopes, ILogger<DemoMerchantSetup> logger) : BackgroundService
{
    public const string DemoSlug = "koperasi-wanita-pantai-binor";
    public const string DemoStripeAccount = "acct_demo_pantai_binor";

    public static readonly IReadOnlyList<ShippingRate> DemoRates =
    [
        new("jawa", 1_000, 12_000), new("jawa", 5_000, 30_000), new("jawa", 20_000, 90_000),
        new("bali-nusa", 1_000, 25_000), new("bali-nusa", 5_000, 70_000),
        new("sumatera", 1_000, 30_000), new("sumatera", 5_000, 85_000),
        new("kalimantan-sulawesi", 1_000, 38_000), new("kalimantan-sulawesi", 5_000, 110_000),
        new("maluku-papua", 1_000, 60_000), new("maluku-papua", 5_000, 180_000),
    ];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        for (var attempt = 0; attempt < 120 && !stoppingToken.IsCancellationRequested; attempt++)
        {
            await using (var scope = scopes.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<OrdersDbContext>();
                var merchant = await db.Merchants.FirstOrDefaultAsync(m => m.Slug == DemoSlug, stoppingToken);
                if (merchant is not null)
                {
                    if (merchant.StripeAccountId is null)
                    {
                        merchant.AttachStripeAccount(DemoStripeAccount);
                        merchant.SetShippingRates(DemoRates);
                        await db.SaveChangesAsync(stoppingToken);
                    }

                    // The emulator keeps the demo account onboarded; what it says is recorded as for any cooperative. Until
                    // the emulator answers, this tries again.
                    if (merchant is { StripeAccountId: DemoStripeAccount, TakesCards: false }
                        && await TryRefreshAsync(scope.ServiceProvider.GetRequiredService<StripeOnboarding>(), stoppingToken) is not { TakesCards: true })
                    {
                        await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken);
                        continue;
                    }

                    LogReady(logger, merchant.Name);
                    return;
                }
            }

            await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken);
        }
    }

    private async Task<Merchant?> TryRefreshAsync(StripeOnboarding onboarding, CancellationToken cancellationToken)
    {
        try
        {
            return await onboarding.RefreshAsync(DemoStripeAccount, cancellationToken);
        }
        catch (Exception ex) when (ex is Stripe.StripeException or HttpRequestException)
        {
            LogStripeNotYet(logger, ex.Message);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The Stripe emulator does not answer for the demo account yet: {Reason}")]
    private static partial void LogStripeNotYet(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo cooperative {Name} takes cards (Stripe emulator) and ships")]
    private static partial void LogReady(ILogger logger, string name);
}
