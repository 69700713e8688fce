using System.Net.Http.Json;
using System.Text.Json;

namespace Marketplace.Testing;

/// <summary>
/// Reads back what an smtp4dev server received, through its REST API (<c>/api/messages</c>): the messages a test's
/// code sent over SMTP, as the recipient's mail program would show them.
/// </summary>
public sealed class SmtpInbox(Uri webUrl) : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly HttpClient _http = new() { BaseAddress = new Uri(webUrl, "api/"), Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Every message the server keeps, oldest first.</summary>
    public async Task<IReadOnlyList<ReceivedEmailSummary>> MessagesAsync(CancellationToken cancellationToken = default)
    {
        var messages = new List<ReceivedEmailSummary>();
        for (var page = 1; ; page++)
        {
            var result = await _http.GetFromJsonAsync<MessagePage>(new Uri($"messages?page={page}&pageSize=500", UriKind.Relative), Json, cancellationToken)
                ?? throw new InvalidOperationException("smtp4dev answered an empty page.");
            messages.AddRange(result.Results);
            if (page >= result.PageCount)
            {
                return [.. messages.OrderBy(m => m.ReceivedDate)];
            }
        }
    }

    /// <summary>The messages with <paramref name="address"/> among their recipients (To, Cc or Bcc), oldest first.</summary>
    public async Task<IReadOnlyList<ReceivedEmailSummary>> MessagesToAsync(string address, CancellationToken cancellationToken = default) =>
        [.. (await MessagesAsync(cancellationToken)).Where(m => m.IsFor(address))];

    /// <summary>Waits until at least <paramref name="count"/> messages to <paramref name="address"/> have arrived.</summary>
    public Task<IReadOnlyList<ReceivedEmailSummary>> WaitForMessagesToAsync(string address, int count = 1, TimeSpan? timeout = null) =>
        Eventually.GetAsync(() => MessagesToAsync(address), m => m.Count >= count, timeout, $"{count} email(s) to {address}");

    /// <summary>One message with its headers and bodies as text.</summary>
    public async Task<ReceivedEmail> ReadAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var detail = await _http.GetFromJsonAsync<MessageDetail>(new Uri($"messages/{id}", UriKind.Relative), Json, cancellationToken)
            ?? throw new InvalidOperationException($"smtp4dev has no message {id}.");
        var plainText = detail.HasPlainTextBody ? await _http.GetStringAsync(new Uri($"messages/{id}/plaintext", UriKind.Relative), cancellationToken) : null;
        var html = detail.HasHtmlBody ? await _http.GetStringAsync(new Uri($"messages/{id}/html", UriKind.Relative), cancellationToken) : null;
        return new ReceivedEmail(
            detail.Id,
            detail.From,
            detail.To,
            detail.Cc,
            detail.Subject,
            detail.ReceivedDate,
            plainText,
            html,
            [.. detail.Headers.Select(h => new EmailHeader(h.Name, h.Value))]);
    }

    /// <summary>The message exactly as it came over SMTP (headers and MIME parts, still encoded).</summary>
    public Task<string> SourceAsync(Guid id, CancellationToken cancellationToken = default) =>
        _http.GetStringAsync(new Uri($"messages/{id}/raw", UriKind.Relative), cancellationToken);

    /// <summary>Empties the default mailbox.</summary>
    public async Task DeleteAllAsync(CancellationToken cancellationToken = default)
    {
        using var response = await _http.DeleteAsync(new Uri("messages/*", UriKind.Relative), cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public void Dispose() => _http.Dispose();

    private sealed record MessagePage(IReadOnlyList<ReceivedEmailSummary> Results, int PageCount);

    private sealed record MessageDetail(
        Guid Id,
        string From,
        IReadOnlyList<string> To,
        IReadOnlyList<string> Cc,
        DateTimeOffset ReceivedDate,
        string Subject,
        bool HasPlainTextBody,
        bool HasHtmlBody,
        IReadOnlyList<MessageHeader> Headers);

    private sealed record MessageHeader(string Name, string Value);
}

/// <param name="From">The sender's bare address.</param>
/// <param name="To">The bare addresses of the message's To header.</param>
/// <param name="DeliveredTo">The envelope recipients (RCPT TO), comma-separated: includes Bcc.</param>
public sealed record ReceivedEmailSummary(Guid Id, string From, IReadOnlyList<string> To, string? DeliveredTo, DateTimeOffset ReceivedDate, string Subject)
{
    public bool IsFor(string address) =>
        To.Any(a => a.Equals(address, StringComparison.OrdinalIgnoreCase))
        || (DeliveredTo ?? string.Empty).Split(',', StringSplitOptions.TrimEntries).Any(a => a.Equals(address, StringComparison.OrdinalIgnoreCase));
}

/// <param name="From">The From header with its display name, e.g. <c>"Koperasi" &lt;toko@example.test&gt;</c>.</param>
/// <param name="To">The To header's mailboxes with their display names.</param>
/// <param name="Html">The HTML body as the web inbox shows it (scripts and the like removed); the exact one is in <see cref="SmtpInbox.SourceAsync"/>.</param>
public sealed record ReceivedEmail(
    Guid Id,
    string From,
    IReadOnlyList<string> To,
    IReadOnlyList<string> Cc,
    string Subject,
    DateTimeOffset ReceivedDate,
    string? PlainText,
    string? Html,
    IReadOnlyList<EmailHeader> Headers)
{
    public string? Header(string name) => Headers.FirstOrDefault(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase))?.Value;
}

public sealed record EmailHeader(string Name, string Value);
