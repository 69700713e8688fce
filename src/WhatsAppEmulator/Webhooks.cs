using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace Marketplace.WhatsAppEmulator;

/// <summary>
/// Moves accepted messages through their statuses (sent, delivered, and read when asked, or failed) and posts each
/// as Meta's <c>messages</c> webhook, signed with <c>X-Hub-Signature-256</c> and retried with back-off until the
/// receiver answers 200. A message's webhooks go out one after the other; nothing runs while no work is pending.
/// </summary>
public sealed partial class WebhookSender(
    IHttpClientFactory httpClients,
    IOptions<WhatsAppEmulatorOptions> options,
    EmulatorState state,
    ILogger<WebhookSender> logger)
    : BackgroundService
{
    public const string ClientName = "whatsapp-webhooks";
    public const string SignatureHeader = "X-Hub-Signature-256";

    private enum JobKind
    {
        Lifecycle,
        Read,
        Inbound,
    }

    private sealed record Job(JobKind Kind, string MessageId);

    private readonly Channel<Job> _queue = Channel.CreateUnbounded<Job>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Takes an accepted message through its statuses.</summary>
    public void Track(string messageId) => _queue.Writer.TryWrite(new Job(JobKind.Lifecycle, messageId));

    /// <summary>The recipient opened the chat: the message is reported read.</summary>
    public void MarkRead(string messageId) => _queue.Writer.TryWrite(new Job(JobKind.Read, messageId));

    /// <summary>The person wrote to the business: her message is posted as Meta posts incoming messages.</summary>
    public void Received(string messageId) => _queue.Writer.TryWrite(new Job(JobKind.Inbound, messageId));

    /// <summary><c>sha256=</c> and the lowercase hex HMAC-SHA256 of the exact body bytes, keyed with the app secret.</summary>
    public static string Sign(ReadOnlySpan<byte> body, string appSecret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), body));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var job in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            _ = RunAsync(job, stoppingToken);
        }
    }

    private async Task RunAsync(Job job, CancellationToken cancellationToken)
    {
        try
        {
            switch (job.Kind)
            {
                case JobKind.Lifecycle:
                    await LifecycleAsync(job.MessageId, cancellationToken);
                    break;
                case JobKind.Read:
                    await ReportAsync(job.MessageId, "read", null, cancellationToken);
                    break;
                case JobKind.Inbound:
                    await ReportAsync(job.MessageId, "received", null, cancellationToken);
                    break;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The emulator is stopping; pending deliveries die with it, as an emulator's may.
        }
    }

    private async Task LifecycleAsync(string messageId, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        await Task.Delay(settings.StatusDelay, cancellationToken);
        if (state.Find(messageId)?.FailWith is { } code)
        {
            await ReportAsync(messageId, "failed", code, cancellationToken);
            return;
        }

        if (!await ReportAsync(messageId, "sent", null, cancellationToken))
        {
            return;
        }

        await Task.Delay(settings.StatusDelay, cancellationToken);
        if (!await ReportAsync(messageId, "delivered", null, cancellationToken) || !settings.MarkAsRead)
        {
            return;
        }

        await Task.Delay(settings.StatusDelay, cancellationToken);
        await ReportAsync(messageId, "read", null, cancellationToken);
    }

    /// <summary>Records the status and posts its webhook; false when the message is gone or already past that status.</summary>
    private async Task<bool> ReportAsync(string messageId, string status, int? errorCode, CancellationToken cancellationToken)
    {
        var entry = state.Reach(messageId, status, errorCode);
        var message = state.Find(messageId);
        if (entry is null || message is null)
        {
            return false;
        }

        var settings = options.Value;
        var value = message.Direction == Direction.Inbound ? InboundValue(message, settings) : StatusValue(message, entry, settings);
        var payload = JsonSerializer.SerializeToUtf8Bytes(new
        {
            @object = "whatsapp_business_account",
            entry = new[]
            {
                new { id = settings.BusinessAccountId, changes = new[] { new { value, field = "messages" } } },
            },
        }, EmulatorSetup.Json);
        await DeliverAsync(payload, entry, status, cancellationToken);
        return true;
    }

    private static object StatusValue(ChatMessage message, StatusEntry entry, WhatsAppEmulatorOptions settings) => new
    {
        messaging_product = "whatsapp",
        metadata = Metadata(settings),
        statuses = new[]
        {
            new
            {
                id = message.Id,
                status = entry.Status,
                timestamp = entry.Timestamp.ToString(CultureInfo.InvariantCulture),
                recipient_id = message.Number,
                biz_opaque_callback_data = message.BizOpaqueCallbackData,
                // Per-message pricing (v24.0 and later); service replies inside the customer's window are free.
                pricing = entry.ErrorCode is null
                    ? new
                    {
                        billable = message.Category != "service",
                        pricing_model = "PMP",
                        type = message.Category == "service" ? "free_customer_service" : "regular",
                        category = message.Category,
                    }
                    : null,
                errors = entry.ErrorCode is { } code
                    ? new[]
                    {
                        new
                        {
                            code,
                            title = DeliveryErrors.Title(code),
                            message = DeliveryErrors.Title(code),
                            error_data = new { details = DeliveryErrors.Details(code) },
                            href = "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/",
                        },
                    }
                    : null,
            },
        },
    };

    private static object InboundValue(ChatMessage message, WhatsAppEmulatorOptions settings) => new
    {
        messaging_product = "whatsapp",
        metadata = Metadata(settings),
        contacts = new[] { new { profile = new { name = message.ProfileName ?? message.Number }, wa_id = message.Number } },
        messages = new[]
        {
            new
            {
                from = message.Number,
                id = message.Id,
                timestamp = message.Timestamp.ToString(CultureInfo.InvariantCulture),
                type = "text",
                text = new { body = message.Text },
            },
        },
    };

    private static object Metadata(WhatsAppEmulatorOptions settings) =>
        new { display_phone_number = settings.DisplayPhoneNumber, phone_number_id = settings.PhoneNumberId };

    private async Task DeliverAsync(byte[] payload, StatusEntry entry, string status, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!Uri.TryCreate(settings.WebhookUrl, UriKind.Absolute, out var url))
        {
            state.RecordWebhook(entry, "not_sent");
            return;
        }

        if (state.WebhookDelay > TimeSpan.Zero)
        {
            await Task.Delay(state.WebhookDelay, cancellationToken);
        }

        var client = httpClients.CreateClient(ClientName);
        var delays = settings.RetryDelays;
        for (var attempt = 0; ; attempt++)
        {
            state.CountWebhookAttempt(entry);
            try
            {
                using var content = new ByteArrayContent(payload);
                content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
                content.Headers.Add(SignatureHeader, Sign(payload, settings.AppSecret));
                using var response = await client.PostAsync(url, content, cancellationToken);
                // Meta counts only a 200 as received; anything else is retried.
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    state.RecordWebhook(entry, "delivered");
                    return;
                }

                state.RecordWebhook(entry, $"pending (last answer {(int)response.StatusCode})");
            }
            catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                state.RecordWebhook(entry, "pending (no answer)");
            }

            if (attempt >= delays.Count)
            {
                state.RecordWebhook(entry, "given_up");
                LogGaveUp(logger, status, entry.WebhookAttempts);
                return;
            }

            await Task.Delay(delays[attempt], cancellationToken);
        }
    }

    // No number or message id: phone numbers must not reach the logs.
    [LoggerMessage(Level = LogLevel.Warning, Message = "Gave up posting a {Status} webhook after {Attempts} attempts")]
    private static partial void LogGaveUp(ILogger logger, string status, int attempts);
}
