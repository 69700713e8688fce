using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Marketplace.WhatsAppEmulator;

/// <summary>WhatsApp ids are E.164 numbers as digits: the country code first (62 for Indonesia), never a national 0.</summary>
public static partial class PhoneNumbers
{
    public static bool IsPlausible(string digits) => Pattern().IsMatch(digits);

    [GeneratedRegex("^[1-9][0-9]{7,14}$")]
    private static partial Regex Pattern();
}

public enum Direction
{
    Outbound,
    Inbound,
}

/// <summary>How the next sends fail: answered with HTTP 500, or accepted and then reported <c>failed</c>.</summary>
public enum FailureMode
{
    Http,
    Status,
}

/// <summary>One status the message reached, and how its webhook fared.</summary>
public sealed class StatusEntry
{
    public required string Status { get; init; }

    public required long Timestamp { get; init; }

    public int? ErrorCode { get; init; }

    /// <summary><c>pending</c>, <c>delivered</c>, <c>given_up</c>, or <c>not_sent</c> when no webhook URL is configured.</summary>
    public string Webhook { get; set; } = "pending";

    public int WebhookAttempts { get; set; }
}

/// <summary>A message on a number's chat: one the business sent, or one the person wrote.</summary>
public sealed class ChatMessage
{
    public required string Id { get; init; }

    public required string Number { get; init; }

    public required Direction Direction { get; init; }

    public required string Type { get; init; }

    public required string Text { get; init; }

    public required long Timestamp { get; init; }

    public string? TemplateName { get; init; }

    public string? Language { get; init; }

    public IReadOnlyList<string> Parameters { get; init; } = [];

    public string Category { get; init; } = "utility";

    public string? BizOpaqueCallbackData { get; init; }

    /// <summary>The name an incoming message's sender shows in her WhatsApp profile.</summary>
    public string? ProfileName { get; init; }

    /// <summary>Set when the send was accepted to fail later with this Meta error code.</summary>
    public int? FailWith { get; init; }

    public List<StatusEntry> Statuses { get; } = [];

    public string? CurrentStatus => Statuses.Count == 0 ? null : Statuses[^1].Status;
}

/// <summary>What tests and developers read back: the message, its parameters, the text shown and every status it reached.</summary>
public sealed record MessageView(
    string Id,
    string Number,
    Direction Direction,
    string Type,
    string? TemplateName,
    string? Language,
    IReadOnlyList<string> Parameters,
    string Text,
    string? BizOpaqueCallbackData,
    long Timestamp,
    string? Status,
    IReadOnlyList<StatusView> Statuses);

public sealed record StatusView(string Status, long Timestamp, int? ErrorCode, string Webhook, int WebhookAttempts);

/// <summary>
/// Everything the emulator remembers, in memory. One lock: this serves a laptop and a test run, not production traffic.
/// </summary>
public sealed class EmulatorState(TimeProvider clock)
{
    private static readonly TimeSpan ServiceWindow = TimeSpan.FromHours(24);

    private readonly Lock _gate = new();
    private readonly List<ChatMessage> _messages = [];
    private readonly Dictionary<string, DateTimeOffset> _lastInbound = [];
    private FailureMode _failureMode;
    private int _failuresLeft;
    private int _failureCode = DeliveryErrors.Undeliverable;

    /// <summary>How long each send waits before it is answered.</summary>
    public TimeSpan SendDelay { get; private set; }

    /// <summary>How long each webhook waits before it is posted, on top of the status delay.</summary>
    public TimeSpan WebhookDelay { get; private set; }

    public long Now => clock.GetUtcNow().ToUnixTimeSeconds();

    /// <summary>A message id in Meta's format: <c>wamid.</c> and base64 of the recipient and a random key.</summary>
    public static string NewMessageId(string number)
    {
        var key = Convert.ToHexString(RandomNumberGenerator.GetBytes(9));
        var bytes = new List<byte> { 0x1C, 0x18, (byte)number.Length };
        bytes.AddRange(Encoding.ASCII.GetBytes(number));
        bytes.AddRange([0x15, 0x02, 0x00, 0x11, 0x18, (byte)key.Length]);
        bytes.AddRange(Encoding.ASCII.GetBytes(key));
        bytes.Add(0x00);
        return "wamid." + Convert.ToBase64String([.. bytes]);
    }

    public void Add(ChatMessage message)
    {
        lock (_gate)
        {
            _messages.Add(message);
            if (message.Direction == Direction.Inbound)
            {
                _lastInbound[message.Number] = DateTimeOffset.FromUnixTimeSeconds(message.Timestamp);
            }
        }
    }

    /// <summary>Free-form messages may only be sent within 24 hours of the person's last message (the customer service window).</summary>
    public bool InServiceWindow(string number)
    {
        lock (_gate)
        {
            return _lastInbound.TryGetValue(number, out var last) && clock.GetUtcNow() - last < ServiceWindow;
        }
    }

    /// <summary>Records a status reached now; null when the message is gone (reset) or already past it.</summary>
    public StatusEntry? Reach(string messageId, string status, int? errorCode = null)
    {
        lock (_gate)
        {
            var message = _messages.Find(m => m.Id == messageId);
            if (message is null || message.CurrentStatus == "failed" || Rank(status) <= Rank(message.CurrentStatus))
            {
                return null;
            }

            var entry = new StatusEntry { Status = status, Timestamp = Now, ErrorCode = errorCode };
            message.Statuses.Add(entry);
            return entry;
        }
    }

    public void RecordWebhook(StatusEntry entry, string outcome)
    {
        lock (_gate)
        {
            entry.Webhook = outcome;
        }
    }

    public void CountWebhookAttempt(StatusEntry entry)
    {
        lock (_gate)
        {
            entry.WebhookAttempts++;
        }
    }

    public ChatMessage? Find(string messageId)
    {
        lock (_gate)
        {
            return _messages.Find(m => m.Id == messageId);
        }
    }

    /// <summary>Every message, or one number's, oldest first, copied so callers need no lock.</summary>
    public IReadOnlyList<MessageView> Messages(string? number = null)
    {
        lock (_gate)
        {
            return [.. _messages.Where(m => number is null || m.Number == number).Select(View)];
        }
    }

    /// <summary>The numbers with messages, the latest conversation first.</summary>
    public IReadOnlyList<(string Number, MessageView Last, int Count)> Numbers()
    {
        lock (_gate)
        {
            return [.. _messages
                .GroupBy(m => m.Number)
                .Select(g => (g.Key, View(g.Last()), g.Count()))
                .OrderByDescending(n => n.Item2.Timestamp)];
        }
    }

    public void FailNext(int count, FailureMode mode, int code)
    {
        lock (_gate)
        {
            _failuresLeft = count;
            _failureMode = mode;
            _failureCode = code;
        }
    }

    /// <summary>Uses up one of the failures asked for, if any are left.</summary>
    public (FailureMode Mode, int Code)? TakeFailure()
    {
        lock (_gate)
        {
            if (_failuresLeft <= 0)
            {
                return null;
            }

            _failuresLeft--;
            return (_failureMode, _failureCode);
        }
    }

    public void SetDelays(TimeSpan? send, TimeSpan? webhooks)
    {
        lock (_gate)
        {
            SendDelay = send ?? SendDelay;
            WebhookDelay = webhooks ?? WebhookDelay;
        }
    }

    /// <summary>Forgets messages, conversations, failures and delays; templates stay registered.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _messages.Clear();
            _lastInbound.Clear();
            _failuresLeft = 0;
            SendDelay = TimeSpan.Zero;
            WebhookDelay = TimeSpan.Zero;
        }
    }

    // A status never goes back: a message already read is not reported delivered afterwards.
    private static int Rank(string? status) => status switch
    {
        null => 0,
        "sent" => 1,
        "delivered" => 2,
        "read" => 3,
        _ => 4,
    };

    private static MessageView View(ChatMessage m) => new(
        m.Id, m.Number, m.Direction, m.Type, m.TemplateName, m.Language, m.Parameters, m.Text, m.BizOpaqueCallbackData, m.Timestamp, m.CurrentStatus,
        [.. m.Statuses.Select(s => new StatusView(s.Status, s.Timestamp, s.ErrorCode, s.Webhook, s.WebhookAttempts))]);
}
