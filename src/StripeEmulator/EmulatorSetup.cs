using System.Text.Json;

namespace Marketplace.StripeEmulator;

/// <summary>Bound from <c>Emulator</c>.</summary>
public sealed class EmulatorOptions
{
    /// <summary>The secret key callers must present (<c>Authorization: Bearer sk_test_...</c>). Empty: any sk_test_ key.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Where events are posted, e.g. the Gateway's <c>/webhooks/stripe</c>.</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>The endpoint's signing secret (<c>whsec_...</c>), as the Stripe dashboard shows it.</summary>
    public string WebhookSecret { get; set; } = "whsec_local_emulator_secret";

    /// <summary>Send every event twice, as Stripe may.</summary>
    public bool DuplicateWebhooks { get; set; }

    /// <summary>Hold each delivery a random time up to this, so events may arrive out of order.</summary>
    public TimeSpan WebhookJitter { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// Delays between delivery attempts of one event; after the last, it is given up. Empty (the default): Stripe's own
    /// schedule, <see cref="StripeRetrySchedule"/>. Tests shorten it to seconds.
    /// </summary>
    public TimeSpan[] WebhookRetryDelays { get; set; } = [];

    /// <summary>
    /// Stripe retries a failed delivery for up to three days with exponential back-off: minutes at first, then hours.
    /// A receiver that is down for a minute therefore hears of a payment only much later, unless it asks.
    /// </summary>
    public static IReadOnlyList<TimeSpan> StripeRetrySchedule { get; } =
    [
        TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(1), TimeSpan.FromHours(2),
        TimeSpan.FromHours(4), TimeSpan.FromHours(8), TimeSpan.FromHours(12), TimeSpan.FromHours(12), TimeSpan.FromHours(12), TimeSpan.FromHours(12),
    ];

    public IReadOnlyList<TimeSpan> RetryDelays => WebhookRetryDelays.Length > 0 ? WebhookRetryDelays : StripeRetrySchedule;

    /// <summary>Stripe's processing fee on a card charge in Indonesia: this percentage of the amount ...</summary>
    public decimal CardFeePercent { get; set; } = 3.4m;

    /// <summary>... plus this many whole rupiah.</summary>
    public long CardFeeFixedRupiah { get; set; } = 2_000;

    /// <summary>
    /// Stripe's fee on an online QRIS payment in Indonesia, a percentage of the amount with no fixed part (check Stripe's
    /// price list for the account; this is the emulator's figure).
    /// </summary>
    public decimal QrisFeePercent { get; set; } = 0.7m;

    /// <summary>Stripe's fee on a GoPay payment, a percentage of the amount (the emulator's figure, as for QRIS).</summary>
    public decimal GoPayFeePercent { get; set; } = 2m;

    /// <summary>The local run's demo cooperative's connected account: always there, onboarded, taking payments.</summary>
    public const string DemoAccount = "acct_demo_pantai_binor";

    /// <summary>More connected accounts that exist from the start, onboarded (tests that need one without onboarding).</summary>
    public string[] EnabledAccounts { get; set; } = [];

    /// <summary>A fee on each refund's balance transaction, whole rupiah (Stripe charges none for a card refund, and keeps the charge's fee).</summary>
    public long RefundFeeRupiah { get; set; }

    /// <summary>Stripe's fee on a dispute, whole rupiah, withdrawn with the disputed amount (Stripe's figure for Indonesia is unconfirmed).</summary>
    public long DisputeFeeRupiah { get; set; } = 250_000;

    /// <summary>Whether a won dispute gives its fee back with the amount (Stripe does in some countries; unconfirmed for Indonesia).</summary>
    public bool DisputeFeeReturnedWhenWon { get; set; }

    /// <summary>How long the merchant has to answer a dispute (<c>evidence_details.due_by</c>).</summary>
    public TimeSpan DisputeEvidenceTime { get; set; } = TimeSpan.FromDays(7);
}

public static class EmulatorSetup
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.Never,
    };

    public static WebApplicationBuilder AddStripeEmulator(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<EmulatorOptions>().BindConfiguration("Emulator");
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(sp =>
        {
            var state = new StripeState(sp.GetRequiredService<TimeProvider>());
            AccountControl.SeedEnabledAccounts(state, sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<EmulatorOptions>>());
            return state;
        });
        builder.Services.AddSingleton<DisputesAndPayouts>();
        builder.Services.AddSingleton<WebhookSender>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<WebhookSender>());
        builder.Services.AddHttpClient(WebhookSender.ClientName);
        return builder;
    }

    public static WebApplication MapStripeEmulator(this WebApplication app)
    {
        app.MapGet("/", () => Results.Text("Stripe emulator: /v1 speaks Stripe's API for Checkout Sessions, PaymentIntents and Refunds."));
        app.MapGet("/health/live", () => Results.Text("Healthy"));
        app.MapGet("/health/ready", () => Results.Text("Healthy"));
        var v1 = app.MapGroup("/v1").AddEndpointFilter<ApiKeyFilter>().AddEndpointFilter<ConnectedAccountFilter>();
        v1.MapAccounts();
        v1.MapCheckoutSessions();
        v1.MapPaymentIntents();
        v1.MapRefunds();
        v1.MapChargesAndBalance();
        v1.MapDisputesAndPayouts();
        app.MapHostedCheckout();
        app.MapHostedOnboarding();
        app.MapEmulatorControl();
        app.MapDisputeAndPayoutControls();
        return app;
    }
}

/// <summary>Stripe answers 401 without a secret key.</summary>
internal sealed class ApiKeyFilter(Microsoft.Extensions.Options.IOptions<EmulatorOptions> options) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var header = context.HttpContext.Request.Headers.Authorization.ToString();
        var key = header.StartsWith("Bearer ", StringComparison.Ordinal) ? header[7..] : string.Empty;
        var expected = options.Value.ApiKey;
        var valid = string.IsNullOrEmpty(expected) ? key.StartsWith("sk_test_", StringComparison.Ordinal) : key == expected;
        return valid
            ? await next(context)
            : StripeErrors.Result(401, "invalid_request_error", "Invalid API Key provided.", code: "api_key_invalid");
    }
}
