using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Marketplace.Notifications.Deliveries;
using Marketplace.Notifications.Templates;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Marketplace.Notifications.Email;

/// <summary>
/// Sends one notification as one email over SMTP (MailKit): the template's subject and body in the recipient's
/// language, as multipart/alternative (plain text, then a simple HTML rendering of the same words, escaped), UTF-8.
/// One connection per message: notifications are few, and a kept connection would have to survive the server closing it.
/// The Message-ID is the notification's, so a retry after a lost answer is recognisable as the same message.
/// A definite refusal (a 5xx to the recipient or the message) fails it at once; anything else may pass, and is retried.
/// Server answers are not copied into the error: they echo the address, and the error is shown in the delivery log.
/// </summary>
public sealed partial class SmtpEmailSender(IOptions<EmailOptions> options)
{
    public async Task<SendResult> SendAsync(Notification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var settings = options.Value;
        if (string.IsNullOrWhiteSpace(settings.Host) || string.IsNullOrWhiteSpace(settings.FromAddress))
        {
            return new SendResult(null, "Email is not configured (Email:Host, Email:FromAddress).", Final: false);
        }

        if (!MailboxAddress.TryParse(notification.Address, out var to) || to.Address.Length == 0)
        {
            return new SendResult(null, "The email address is not usable.", Final: true);
        }

        using var message = Compose(notification, settings, to);
        using var client = new SmtpClient { Timeout = (int)settings.Timeout.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(settings.Host, settings.Port, settings.Security, cancellationToken);
            if (!string.IsNullOrEmpty(settings.UserName))
            {
                await client.AuthenticateAsync(settings.UserName, settings.Password ?? string.Empty, cancellationToken);
            }

            await client.SendAsync(message, cancellationToken);
            await client.DisconnectAsync(quit: true, cancellationToken);
            return new SendResult(message.MessageId, null, Final: false);
        }
        catch (SmtpCommandException refused)
        {
            var code = (int)refused.StatusCode;
            var definite = code >= 500 && refused.ErrorCode is SmtpErrorCode.RecipientNotAccepted or SmtpErrorCode.MessageNotAccepted;
            var what = refused.ErrorCode switch
            {
                SmtpErrorCode.RecipientNotAccepted => "the recipient was refused",
                SmtpErrorCode.SenderNotAccepted => "the sender was refused",
                SmtpErrorCode.MessageNotAccepted => "the message was refused",
                _ => "unexpected answer",
            };
            return new SendResult(null, $"SMTP {code.ToString(System.Globalization.CultureInfo.InvariantCulture)}: {what}.", definite);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is SocketException or IOException or TimeoutException or SmtpProtocolException
            or ServiceNotConnectedException or AuthenticationException or SslHandshakeException or OperationCanceledException)
        {
            // The server could not be reached, or let us in: nothing was refused for this message, so the backoff decides.
            return new SendResult(null, $"The SMTP server could not take it: {ex.GetType().Name}.", Final: false);
        }
    }

    /// <summary>The message as it is sent: subject and bodies from the template, in the notification's language.</summary>
    public static MimeMessage Compose(Notification notification, EmailOptions settings, MailboxAddress to)
    {
        ArgumentNullException.ThrowIfNull(notification);
        ArgumentNullException.ThrowIfNull(settings);
        var template = MessageTemplates.Named(notification.Template);
        var text = template.Render(notification.Language, notification.Parameters);
        var subject = template.RenderSubject(notification.Language, notification.Parameters);
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(settings.FromName, settings.FromAddress));
        message.To.Add(to);
        message.Subject = subject;
        message.Headers.Add(HeaderId.ContentLanguage, notification.Language);
        var domain = settings.FromAddress[(settings.FromAddress.IndexOf('@', StringComparison.Ordinal) + 1)..];
        message.MessageId = $"{notification.Id:N}@{(domain.Length > 0 ? domain : "localhost")}";
        message.Body = new BodyBuilder { TextBody = text + $"\n\n-- \n{settings.FromName}\n", HtmlBody = Html(subject, text, notification.Language, settings.FromName) }
            .ToMessageBody();
        return message;
    }

    /// <summary>Each line a paragraph, every character escaped, and links made clickable.</summary>
    public static string Html(string subject, string text, string language, string signature)
    {
        ArgumentNullException.ThrowIfNull(text);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"").Append(language == "en" ? "en" : "id").Append("\"><head><meta charset=\"utf-8\"><title>")
            .Append(WebUtility.HtmlEncode(subject))
            .Append("</title></head><body style=\"font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;font-size:16px;line-height:1.5;color:#1d1d1d;max-width:36rem;margin:0 auto;padding:1rem\">");
        foreach (var line in text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            html.Append("<p>").Append(Linked(line)).Append("</p>");
        }

        html.Append("<p style=\"color:#5f6368;font-size:14px\">").Append(WebUtility.HtmlEncode(signature)).Append("</p></body></html>");
        return html.ToString();
    }

    private static string Linked(string line)
    {
        var html = new StringBuilder();
        var at = 0;
        foreach (Match link in LinkPattern().Matches(line))
        {
            html.Append(WebUtility.HtmlEncode(line[at..link.Index]));
            var url = WebUtility.HtmlEncode(link.Value);
            html.Append("<a href=\"").Append(url).Append("\" style=\"color:#0b57d0;overflow-wrap:anywhere\">").Append(url).Append("</a>");
            at = link.Index + link.Length;
        }

        return html.Append(WebUtility.HtmlEncode(line[at..])).ToString();
    }

    // The same reading of a link as the WhatsApp emulator's: a trailing full stop or comma ends the sentence, not the link.
    [GeneratedRegex(@"https?://[^\s<>""]+[^\s<>"".,;:!?)]")]
    private static partial Regex LinkPattern();
}
