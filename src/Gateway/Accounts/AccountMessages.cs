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
/// The local sender: each message is written as a file a developer can open (and logged), so password resets
/// work on a laptop without a mail server.
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
            LogMessage(logger, message.To, message.Subject, message.Body);
            return;
        }

        Directory.CreateDirectory(folder);
        var stamp = clock.GetUtcNow().ToString("yyyyMMdd-HHmmss-fff", CultureInfo.InvariantCulture);
        var path = Path.Combine(folder, $"{stamp}-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(path, $"To: {message.To}\nSubject: {message.Subject}\n\n{message.Body}\n", cancellationToken);
        LogWritten(logger, message.To, path);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Message to {To}: {Subject}\n{Body}")]
    private static partial void LogMessage(ILogger logger, string to, string subject, string body);

    [LoggerMessage(Level = LogLevel.Information, Message = "Message to {To} written to {Path}")]
    private static partial void LogWritten(ILogger logger, string to, string path);
}
