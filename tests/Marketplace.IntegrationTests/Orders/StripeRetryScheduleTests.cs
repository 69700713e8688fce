using Marketplace.StripeEmulator;
using Microsoft.Extensions.Configuration;

namespace Marketplace.IntegrationTests;

/// <summary>
/// The emulator retries a failed webhook as Stripe does, over hours and days, so that a receiver that was down learns of
/// a payment late unless it asks; only a test's setting shortens that to seconds.
/// </summary>
public sealed class StripeRetryScheduleTests
{
    [Fact]
    public void By_default_a_failed_webhook_is_retried_over_days_as_Stripe_does()
    {
        var options = Bind([]);

        var delays = options.RetryDelays;
        var elapsed = TimeSpan.Zero;
        var afterEach = delays.Select(d => elapsed += d).ToList();

        Assert.Same(EmulatorOptions.StripeRetrySchedule, delays);
        // Stripe: exponential back-off for up to three days; never a burst of quick retries.
        Assert.True(delays[0] >= TimeSpan.FromMinutes(1), $"first retry after {delays[0]}");
        Assert.True(delays.Zip(delays.Skip(1)).All(p => p.Second >= p.First), "the delays never shrink");
        Assert.True(afterEach[^1] >= TimeSpan.FromDays(2) && afterEach[^1] <= TimeSpan.FromDays(3), $"the last attempt {afterEach[^1]} after the first");
        // A receiver down for the 100 seconds has missed the first attempts, and the next one is minutes away.
        Assert.True(afterEach.First(t => t > TimeSpan.FromSeconds(100)) >= TimeSpan.FromMinutes(5));
    }

    [Fact]
    public void A_test_setting_shortens_the_schedule_to_what_it_names()
    {
        var options = Bind(new() { ["Emulator:WebhookRetryDelays:0"] = "00:00:00.200", ["Emulator:WebhookRetryDelays:1"] = "00:00:01" });

        Assert.Equal([TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1)], options.RetryDelays);
    }

    private static EmulatorOptions Bind(Dictionary<string, string?> settings)
    {
        var options = new EmulatorOptions();
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection("Emulator").Bind(options);
        return options;
    }
}
