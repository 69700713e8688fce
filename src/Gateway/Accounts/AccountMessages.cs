using System.Globalization;
using Microsoft.Extensions.Options;

namespace Marketplace.Gateway.Accounts;

/// <summary>A message to one person, by email or (for phone-only accounts) WhatsApp.</summary>
public sealed record AccountMessage(string To, string Subject, string Body);

/// <summary>Sends account messages. Production plugs in an email or WhatsApp provider behind this.</summary>
public interface IAccountMessageSender
{
    Task SendAsync(AccountMessage message, CancellationToken cancellationToken);
}

/// <summary>
/// The local sender: each message is written as a file a developer can open, so password resets work on a laptop
/// without a mail server. The body (it holds reset links) never goes to the log.
/// </summary>
public sealed partial class LocalAccountMessageSender(IOptions<AccountOptions> options, TimeProvider clock, ILogger<LocalAccountMessageSender> logger)
    : IAccountMessageSender
{
    public async Task SendAsync(AccountMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var folder = options.Value.MessageFolder;
        if (string.IsNullOrWhiteSpace(folder))
        {
            LogNotSent(logger, message.To, message.Subject);
            return;
        }

        Directory.CreateDirectory(folder);
        var stamp = clock.GetUtcNow().ToString("yyyyMMdd-HHmmss-fff", CultureInfo.InvariantCulture);
        var path = Path.Combine(folder, $"{stamp}-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(path, $"To: {message.To}\nSubject: {message.Subject}\n\n{message.Body}\n", cancellationToken);
        LogWritten(logger, message.To, path);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No message sender is configured (Accounts:MessageFolder): \"{Subject}\" to {To} was not sent")]
    private static partial void LogNotSent(ILogger logger, string to, string subject);

    [LoggerMessage(Level = LogLevel.Information, Message = "Message to {To} written to {Path}")]
    private static partial void LogWritten(ILogger logger, string to, string path);
}
