namespace Marketplace.StripeEmulator;

/// <summary>A local stand-in for Stripe's API, hosted checkout page and webhooks (see docs/payments.md).</summary>
public sealed class Program
{
    private Program()
    {
    }

    public static async Task Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddStripeEmulator();

        var app = builder.Build();
        app.MapStripeEmulator();
        await app.RunAsync();
    }
}
