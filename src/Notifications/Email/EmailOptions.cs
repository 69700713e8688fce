using MailKit.Security;

namespace Marketplace.Notifications.Email;

/// <summary>
/// Bound from <c>Email</c>: the SMTP server mail leaves by. Locally and in the tests the local infrastructure's smtp4dev
/// (plain, no credentials); in production the provider's relay on 587 with STARTTLS required, credentials from a secret.
/// </summary>
public sealed class EmailOptions
{
    public const string SectionName = "Email";

    /// <summary>Empty: email is not configured, and every email attempt fails (and is retried) until it is.</summary>
    public string Host { get; set; } = string.Empty;

    public int Port { get; set; } = 587;

    /// <summary>
    /// <see cref="SecureSocketOptions.StartTls"/> on 587 (refused if the server does not offer it), <see cref="SecureSocketOptions.SslOnConnect"/>
    /// on 465, <see cref="SecureSocketOptions.None"/> only for the local server. Never <c>StartTlsWhenAvailable</c>: a
    /// man in the middle would strip the offer and read every reset link.
    /// </summary>
    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.StartTls;

    /// <summary>Null or empty: no authentication (the local server takes any message).</summary>
    public string? UserName { get; set; }

    public string? Password { get; set; }

    /// <summary>An address of a domain whose SPF and DKIM the provider signs for.</summary>
    public string FromAddress { get; set; } = string.Empty;

    public string FromName { get; set; } = "Oleh-oleh Pantai Binor";

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
