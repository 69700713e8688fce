using OpenTelemetry.Metrics;

namespace Marketplace.Gateway.DeadLetters;

public static class DeadLettersSetup
{
    /// <summary>The intake that moves <c>_error</c> queues' messages into the Gateway's database, and its gauge.</summary>
    public static IHostApplicationBuilder AddDeadLetters(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DeadLetterOptions>().BindConfiguration(DeadLetterOptions.SectionName);
        builder.Services.AddHttpClient(DeadLetterBroker.ManagementClient, http => http.Timeout = TimeSpan.FromSeconds(10));
        builder.Services.AddSingleton<DeadLetterBroker>();
        builder.Services.AddSingleton<DeadLetterIntake>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DeadLetterIntake>());
        builder.Services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddMeter(DeadLetterIntake.MeterName));
        return builder;
    }
}
