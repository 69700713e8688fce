using System.Text.Json;
using System.Text.Json.Serialization;

namespace Marketplace.WhatsAppEmulator;

/// <summary>Bound from <c>WhatsAppEmulator</c>.</summary>
public sealed class WhatsAppEmulatorOptions
{
    public const string Section = "WhatsAppEmulator";

    /// <summary>The token callers must present (<c>Authorization: Bearer ...</c>), as Meta's system-user token.</summary>
    public string AccessToken { get; set; } = "local-whatsapp-token";

    /// <summary>The business phone number's id, the <c>{phone-number-id}</c> in <c>/{version}/{phone-number-id}/messages</c>.</summary>
    public string PhoneNumberId { get; set; } = "100000000000001";

    /// <summary>The business number the recipients see, digits only.</summary>
    public string DisplayPhoneNumber { get; set; } = "6281100000001";

    /// <summary>The WhatsApp Business Account id, sent as <c>entry[].id</c> in webhooks.</summary>
    public string BusinessAccountId { get; set; } = "200000000000001";

    /// <summary>The Meta app's secret: webhooks carry <c>X-Hub-Signature-256: sha256=HMAC(secret, body)</c>.</summary>
    public string AppSecret { get; set; } = "local-whatsapp-app-secret";

    /// <summary>Where webhooks are posted; none when empty.</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>Waits between delivery attempts of one webhook; after the last, it is given up. Empty: <see cref="DefaultRetryDelays"/>.</summary>
    public TimeSpan[]? WebhookRetryDelays { get; set; }

    /// <summary>How long a message takes to reach each next status (accepted to sent, sent to delivered, delivered to read).</summary>
    public TimeSpan StatusDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The recipient reads every delivered message by herself (a <c>read</c> status follows <c>delivered</c>).</summary>
    public bool MarkAsRead { get; set; }

    /// <summary>The templates the business has approved, in addition to Meta's <c>hello_world</c>.</summary>
    public List<TemplateDefinition> Templates { get; set; } = [];

    /// <summary>
    /// A file of templates in Notifications' own format (<c>name</c>, and the body per language: <c>id</c>, <c>en</c>),
    /// each registered in both languages: a container is given the very file the service sends by.
    /// </summary>
    public string? TemplatesFile { get; set; }

    // Meta retries for days with growing gaps; the emulator shortens that to an hour.
    public static readonly TimeSpan[] DefaultRetryDelays =
        [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10), TimeSpan.FromHours(1)];

    public IReadOnlyList<TimeSpan> RetryDelays => WebhookRetryDelays is { Length: > 0 } delays ? delays : DefaultRetryDelays;
}

public static class EmulatorSetup
{
    /// <summary>Meta's wire format is snake_case; the emulator's own endpoints follow it.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        // Message texts are read by people and by JSON parsers, never put into HTML: no need to escape +, ' or accents.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Registers the emulator's state, its templates and the webhook sender.</summary>
    public static WebApplicationBuilder AddWhatsAppEmulator(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<WhatsAppEmulatorOptions>().BindConfiguration(WhatsAppEmulatorOptions.Section);
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = Json.PropertyNamingPolicy;
            o.SerializerOptions.DefaultIgnoreCondition = Json.DefaultIgnoreCondition;
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
            o.SerializerOptions.Encoder = Json.Encoder;
        });
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<TemplateRegistry>();
        builder.Services.AddSingleton<EmulatorState>();
        builder.Services.AddSingleton<WebhookSender>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<WebhookSender>());
        builder.Services.AddHttpClient(WebhookSender.ClientName, client => client.Timeout = TimeSpan.FromSeconds(10));
        return builder;
    }

    /// <summary>Maps the Cloud API, the control endpoints and the chat pages.</summary>
    public static WebApplication MapWhatsAppEmulator(this WebApplication app)
    {
        // Templates from configuration are checked now, so a bad one stops the start rather than the first send.
        app.Services.GetRequiredService<TemplateRegistry>();
        app.MapGet("/health/live", () => TypedResults.Text("Healthy"));
        app.MapGet("/health/ready", () => TypedResults.Text("Healthy"));
        app.MapMessagesApi();
        app.MapEmulatorControl();
        app.MapChatPages();
        return app;
    }
}
