using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Marketplace.IntegrationTests.Notifications;

/// <summary>
/// Where and how email is sent. Locally and in the tests: the local infrastructure's SMTP server, plain (no TLS), no
/// credentials. In production: the provider's host, port 587 with STARTTLS required, and credentials (docs/email.md).
/// </summary>
public sealed record SmtpSettings
{
    public required string Host { get; init; }

    public int Port { get; init; } = 587;

    /// <summary><see cref="SecureSocketOptions.None"/> only for the local server; production requires STARTTLS (587) or TLS (465).</summary>
    public SecureSocketOptions Security { get; init; } = SecureSocketOptions.StartTls;

    /// <summary>Null: no authentication (the local server takes any message).</summary>
    public string? UserName { get; init; }

    public string? Password { get; init; }

    public required string FromAddress { get; init; }

    /// <summary>The name recipients see, e.g. the marketplace's name.</summary>
    public required string FromName { get; init; }
}

/// <param name="Language">The message's language (<c>id</c> or <c>en</c>), for the Content-Language header.</param>
/// <param name="MessageId">Stable across retries of one notification, so a recipient's mail program can tell a resend
/// of the same message from a new one; a new one each time when null.</param>
public sealed record OutgoingEmail(
    string ToAddress,
    string ToName,
    string Subject,
    string PlainText,
    string Html,
    string Language = "id",
    string? MessageId = null);

/// <summary>
/// Sends one email over SMTP with MailKit, as multipart/alternative (a plain-text part for mail programs that show no
/// HTML, then the HTML part), UTF-8 throughout. One connection per message: notifications are few, and a connection
/// kept open would have to survive the server closing it between them.
/// </summary>
public sealed class EmailSender(SmtpSettings settings)
{
    /// <returns>The Message-ID the message was sent with.</returns>
    public async Task<string> SendAsync(OutgoingEmail email, CancellationToken cancellationToken)
    {
        using var message = new MimeMessage();
        message.From.Add(new MailboxAddress(settings.FromName, settings.FromAddress));
        message.To.Add(new MailboxAddress(email.ToName, email.ToAddress));
        message.Subject = email.Subject;
        message.Headers.Add(HeaderId.ContentLanguage, email.Language);
        if (email.MessageId is not null)
        {
            message.MessageId = email.MessageId;
        }

        message.Body = new BodyBuilder { TextBody = email.PlainText, HtmlBody = email.Html }.ToMessageBody();

        using var client = new SmtpClient { Timeout = (int)TimeSpan.FromSeconds(30).TotalMilliseconds };
        await client.ConnectAsync(settings.Host, settings.Port, settings.Security, cancellationToken);
        if (settings.UserName is not null)
        {
            await client.AuthenticateAsync(settings.UserName, settings.Password ?? string.Empty, cancellationToken);
        }

        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
        // MimeKit gives every new message a Message-ID; sending does not take it away.
        return message.MessageId!;
    }
}
