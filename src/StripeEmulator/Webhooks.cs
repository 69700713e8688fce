using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace Marketplace.StripeEmulator;

public sealed record StripeEvent(string Id, string Type, string? Account, string Payload)
{
    public int Attempts { get; set; }

    public string Status { get; set; } = "pending";
}

/// <summary>
/// Delivers events as Stripe does: signed with the endpoint's secret (<c>Stripe-Signature: t=..,v1=..</c>), retried
/// with back-off until a 2xx, and, when asked, duplicated and jittered so they may arrive twice and out of order.
/// </summary>
public sealed partial class WebhookSender(IHttpClientFactory httpClients, IOptions<EmulatorOptions> options, TimeProvider clock, ILogger<WebhookSender> logger)
    : BackgroundService
{
    public const string ClientName = "webhooks";

    private readonly Channel<StripeEvent> _queue = Channel.CreateUnbounded<StripeEvent>();
    private readonly List<StripeEvent> _events = [];

    public IReadOnlyList<StripeEvent> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    public StripeEvent Publish(string type, object dataObject, string? account)
    {
        var id = StripeState.NewId("evt");
        var payload = JsonSerializer.Serialize(new
        {
            id,
            @object = "event",
            api_version = Stripe.StripeConfiguration.ApiVersion,
            created = clock.GetUtcNow().ToUnixTimeSeconds(),
            type,
            livemode = false,
            pending_webhooks = 1,
            account,
            request = new { id = (string?)null, idempotency_key = (string?)null },
            data = new { @object = dataObject },
        }, EmulatorSetup.Json);
        var stripeEvent = new StripeEvent(id, type, account, payload);
        lock (_events)
        {
            _events.Add(stripeEvent);
        }

        _queue.Writer.TryWrite(stripeEvent);
        return stripeEvent;
    }

    public bool Resend(string eventId)
    {
        var stripeEvent = Events.FirstOrDefault(e => e.Id == eventId);
        return stripeEvent is not null && _queue.Writer.TryWrite(stripeEvent);
    }

    public static string Sign(string payload, string secret, long timestamp)
    {
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp.ToString(CultureInfo.InvariantCulture)}.{payload}"));
        return $"t={timestamp.ToString(CultureInfo.InvariantCulture)},v1={Convert.ToHexStringLower(signature)}";
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var stripeEvent in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            var copies = options.Value.DuplicateWebhooks ? 2 : 1;
            for (var i = 0; i < copies; i++)
            {
                _ = DeliverAsync(stripeEvent, stoppingToken);
            }
        }
    }

    private async Task DeliverAsync(StripeEvent stripeEvent, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (string.IsNullOrWhiteSpace(settings.WebhookUrl))
        {
            return;
        }

        if (settings.WebhookJitter > TimeSpan.Zero)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * settings.WebhookJitter.TotalMilliseconds), cancellationToken);
        }

        var client = httpClients.CreateClient(ClientName);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var content = new StringContent(stripeEvent.Payload, Encoding.UTF8, "application/json");
                content.Headers.Add("Stripe-Signature", Sign(stripeEvent.Payload, settings.WebhookSecret, clock.GetUtcNow().ToUnixTimeSeconds()));
                using var response = await client.PostAsync(new Uri(settings.WebhookUrl), content, cancellationToken);
                lock (_events)
                {
                    stripeEvent.Attempts++;
                    stripeEvent.Status = response.IsSuccessStatusCode ? "delivered" : $"failed ({(int)response.StatusCode})";
                }

                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException ex)
            {
                lock (_events)
                {
                    stripeEvent.Attempts++;
                    stripeEvent.Status = "failed (" + ex.Message + ")";
                }
            }

            if (attempt >= settings.RetryDelays.Count)
            {
                LogGaveUp(logger, stripeEvent.Id, stripeEvent.Type, stripeEvent.Attempts);
                return;
            }

            await Task.Delay(settings.RetryDelays[attempt], clock, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gave up delivering {EventId} ({Type}) after {Attempts} attempts")]
    private static partial void LogGaveUp(ILogger logger, string eventId, string type, int attempts);
}
