using System.Diagnostics.Metrics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Marketplace.Gateway.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace Marketplace.Gateway.DeadLetters;

/// <summary>
/// Moves the messages of every <c>_error</c> queue into <c>gateway.dead_letters</c>, where the platform admin sees
/// them. Each message is inserted, then acknowledged: a crash between the two leaves it in the queue, and the unique
/// key (queue, message id, fault time) makes its second insert do nothing. Several replicas may run this at once
/// safely: basic.get hands each message to one of them, and the key covers the rest; no lock is taken.
/// </summary>
public sealed class DeadLetterIntake(
    DeadLetterBroker broker,
    IServiceScopeFactory scopes,
    IOptions<DeadLetterOptions> options,
    TimeProvider clock,
    IMeterFactory meters,
    ILogger<DeadLetterIntake> logger) : BackgroundService
{
    public const string MeterName = "Marketplace.DeadLetters";

    // MassTransit's fault headers and its own bookkeeping: a replay is the original message, not the fault.
    private static readonly string[] DroppedHeaderPrefixes = ["MT-Fault-", "MT-Reason", "MT-Host-", "Marketplace-Redelivery-Count"];

    private long _waiting;

    /// <summary>Waiting dead letters as counted after the last pass (at most one interval old), for alerts.</summary>
    public long Waiting => Interlocked.Read(ref _waiting);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!broker.CanList)
        {
            logger.LogWarning("DeadLetters:ManagementUrl is not set: messages in _error queues are not taken in.");
            return;
        }

        meters.Create(MeterName).CreateObservableGauge("marketplace.dead_letters.waiting", () => Waiting, unit: "{message}",
            description: "Messages from _error queues waiting for the platform admin to replay or discard them.");
        using var timer = new PeriodicTimer(options.Value.Interval, clock);
        do
        {
            try
            {
                await PassAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // The broker or its management API is away: the messages stay in their queues until the next pass.
                logger.LogWarning(e, "Taking in dead letters failed; trying again in {Interval}.", options.Value.Interval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One pass: the queues with messages, each emptied into the table (up to the batch size).</summary>
    public async Task PassAsync(CancellationToken cancellationToken)
    {
        var queues = await broker.ErrorQueuesWithMessagesAsync(cancellationToken);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
        if (queues.Count > 0)
        {
            await using var channel = await broker.OpenChannelAsync(confirms: false, cancellationToken);
            foreach (var queue in queues)
            {
                await DrainAsync(channel, db, queue, cancellationToken);
            }
        }

        var waiting = await db.Set<DeadLetter>().CountAsync(d => d.Status == DeadLetterStatus.Waiting, cancellationToken);
        Interlocked.Exchange(ref _waiting, waiting);
    }

    private async Task DrainAsync(IChannel channel, GatewayDbContext db, string queue, CancellationToken cancellationToken)
    {
        for (var i = 0; i < options.Value.BatchSize; i++)
        {
            var delivery = await channel.BasicGetAsync(queue, autoAck: false, cancellationToken);
            if (delivery is null)
            {
                return;
            }

            var letter = Read(queue, delivery.BasicProperties, delivery.Body.ToArray(), clock.GetUtcNow());
            await db.Database.ExecuteSqlInterpolatedAsync(
                $"""
                INSERT INTO gateway.dead_letters (id, error_queue, input_queue, message_id, message_type, exception_type, fault_message,
                    stack_trace, faulted_at, received_at, body, content_type, headers, status, replays)
                VALUES ({Guid.CreateVersion7()}, {queue}, {letter.InputQueue}, {letter.MessageId}, {letter.MessageType}, {letter.ExceptionType},
                    {letter.FaultMessage}, {letter.StackTrace}, {letter.FaultedAt}, {letter.ReceivedAt}, {letter.Body}, {letter.ContentType},
                    CAST({letter.Headers} AS jsonb), 'Waiting', 0)
                ON CONFLICT (error_queue, message_id, faulted_at) DO NOTHING
                """,
                cancellationToken);
            await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, cancellationToken);
            logger.LogInformation("Dead letter {MessageId} ({MessageType}) taken in from {Queue}.", letter.MessageId, letter.MessageType, queue);
        }
    }

    internal sealed record Letter(string InputQueue, string MessageId, string? MessageType, string? ExceptionType, string? FaultMessage,
        string? StackTrace, DateTimeOffset FaultedAt, DateTimeOffset ReceivedAt, byte[] Body, string? ContentType, string Headers);

    internal static Letter Read(string queue, IReadOnlyBasicProperties properties, byte[] body, DateTimeOffset now)
    {
        var headers = properties.Headers ?? new Dictionary<string, object?>();
        string? Header(string name) => headers.TryGetValue(name, out var value) ? AsText(value) : null;

        string? envelopeId = null;
        string? messageType = null;
        if (properties.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true)
        {
            try
            {
                using var envelope = JsonDocument.Parse(body);
                if (envelope.RootElement.ValueKind == JsonValueKind.Object)
                {
                    envelopeId = envelope.RootElement.TryGetProperty("messageId", out var id) ? id.GetString() : null;
                    messageType = envelope.RootElement.TryGetProperty("messageType", out var types) && types.ValueKind == JsonValueKind.Array
                        ? types.EnumerateArray().Select(t => t.GetString()).FirstOrDefault()
                        : null;
                }
            }
            catch (JsonException)
            {
                // Not an envelope: kept as it came, named by its headers.
            }
        }

        messageType ??= Header("MT-MessageType")?.Split(';')[0];
        var messageId = properties.MessageId ?? envelopeId ?? Convert.ToHexStringLower(SHA256.HashData(body));
        var inputQueue = InputQueueOf(Header("MT-Fault-InputAddress")) ?? (queue.EndsWith("_error", StringComparison.Ordinal) ? queue[..^"_error".Length] : queue);
        var faultedAt = DateTimeOffset.TryParse(Header("MT-Fault-Timestamp"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at.ToUniversalTime()
            : properties.IsTimestampPresent() ? DateTimeOffset.FromUnixTimeSeconds(properties.Timestamp.UnixTime) : DateTimeOffset.UnixEpoch;
        // PostgreSQL keeps microseconds: round here so the unique key compares what is stored.
        faultedAt = new DateTimeOffset(faultedAt.Ticks - (faultedAt.Ticks % 10), TimeSpan.Zero);
        var stack = Header("MT-Fault-StackTrace");
        var firstLines = stack is null ? null : string.Join('\n', stack.Split('\n', StringSplitOptions.RemoveEmptyEntries).Take(8).Select(l => l.TrimEnd('\r')));

        var kept = new Dictionary<string, object?>();
        foreach (var (name, value) in headers)
        {
            if (DroppedHeaderPrefixes.Any(p => name.StartsWith(p, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            kept[name] = value switch
            {
                byte[] or string => AsText(value),
                int or long or short or byte => Convert.ToInt64(value, CultureInfo.InvariantCulture),
                bool b => b,
                _ => AsText(value),
            };
        }

        return new Letter(inputQueue, Truncate(messageId, 200)!, Truncate(messageType, 500), Truncate(Header("MT-Fault-ExceptionType"), 500),
            Header("MT-Fault-Message"), firstLines, faultedAt, now, body, Truncate(properties.ContentType, 200), JsonSerializer.Serialize(kept));
    }

    private static string? InputQueueOf(string? address)
    {
        if (address is null || !Uri.TryCreate(address, UriKind.Absolute, out var uri))
        {
            return null;
        }

        var last = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        return string.IsNullOrEmpty(last) ? null : Uri.UnescapeDataString(last);
    }

    private static string? AsText(object? value) => value switch
    {
        null => null,
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        string text => text,
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private static string? Truncate(string? text, int length) => text is null || text.Length <= length ? text : text[..length];
}
