using System.Globalization;
using System.Text.RegularExpressions;

namespace Marketplace.Notifications.Deliveries;

/// <summary>
/// Why a message did not get through, as a kind the admin's page can put in her words: the recorded error is the
/// provider's text (with its code), kept for whoever fixes the set-up, and never shown to her.
/// </summary>
public static partial class DeliveryFailure
{
    /// <summary>The number is malformed: WhatsApp refused it as a recipient.</summary>
    public const string InvalidNumber = "invalid_number";

    /// <summary>The number has no WhatsApp, or WhatsApp could not bring the message to it.</summary>
    public const string NotOnWhatsApp = "not_on_whatsapp";

    /// <summary>WhatsApp refused the message's template (unknown, paused, or its parameters not as approved).</summary>
    public const string TemplateRefused = "template_refused";

    /// <summary>WhatsApp could not be reached or failed itself: worth sending again later.</summary>
    public const string ProviderUnreachable = "provider_unreachable";

    /// <summary>Too many messages in a short time.</summary>
    public const string Throttled = "throttled";

    /// <summary>The business account, its token or its phone number id is refused: the set-up needs fixing.</summary>
    public const string AccountProblem = "account_problem";

    /// <summary>A free-form message outside the 24 hours after the person last wrote.</summary>
    public const string WindowClosed = "window_closed";

    /// <summary>Email is not set up (no SMTP server configured): the set-up needs fixing.</summary>
    public const string EmailUnavailable = "email_unavailable";

    /// <summary>The address is not an email address anyone can receive at.</summary>
    public const string InvalidEmail = "invalid_email";

    /// <summary>The mail server refused the recipient or the message for good (no such mailbox, a full one, a policy).</summary>
    public const string EmailRefused = "email_refused";

    /// <summary>The mail server could not be reached, or answered only "later": worth sending again.</summary>
    public const string EmailServerUnreachable = "email_server_unreachable";

    public const string Other = "other";

    private static readonly HashSet<int> NotOnWhatsAppCodes = [131026, 131021, 131030];
    private static readonly HashSet<int> TemplateCodes = [131008, 131009, 132000, 132001, 132005, 132007, 132012, 132015, 132016, 132018];
    private static readonly HashSet<int> UnreachableCodes = [1, 2, 131000, 131016];
    private static readonly HashSet<int> ThrottledCodes = [4, 80007, 130429, 131048, 131056];
    private static readonly HashSet<int> AccountCodes = [3, 10, 190, 368, 131005, 131031, 131042];

    /// <summary>The kind of a recorded error (see <see cref="Notification.LastError"/>); null when there is none.</summary>
    public static string? Of(string? lastError)
    {
        if (string.IsNullOrWhiteSpace(lastError))
        {
            return null;
        }

        // The email sender's errors (Email/SmtpEmailSender.cs), which never carry the server's own words.
        if (lastError.StartsWith("Email is not configured", StringComparison.Ordinal))
        {
            return EmailUnavailable;
        }

        if (lastError.StartsWith("The email address", StringComparison.Ordinal))
        {
            return InvalidEmail;
        }

        if (SmtpPattern().Match(lastError) is { Success: true } smtp)
        {
            return smtp.Groups[1].Value[0] == '5' && !lastError.Contains("sender", StringComparison.Ordinal) ? EmailRefused : EmailServerUnreachable;
        }

        if (lastError.StartsWith("The SMTP server", StringComparison.Ordinal))
        {
            return EmailServerUnreachable;
        }

        if (lastError.StartsWith("WhatsApp could not be reached", StringComparison.Ordinal)
            || lastError.StartsWith("WhatsApp did not answer", StringComparison.Ordinal)
            || lastError.StartsWith("WhatsApp's answer named no message", StringComparison.Ordinal))
        {
            return ProviderUnreachable;
        }

        int? code = CodePattern().Match(lastError) is { Success: true } c ? int.Parse(c.Groups[1].Value, CultureInfo.InvariantCulture) : null;
        int? http = HttpPattern().Match(lastError) is { Success: true } h ? int.Parse(h.Groups[1].Value, CultureInfo.InvariantCulture) : null;
        return code switch
        {
            100 when lastError.EndsWith("(recipient number)", StringComparison.Ordinal) => InvalidNumber,
            // Graph's "object does not exist": the configured phone-number id is not this account's.
            100 when lastError.Contains("Unsupported post request", StringComparison.Ordinal) => AccountProblem,
            { } n when NotOnWhatsAppCodes.Contains(n) => NotOnWhatsApp,
            { } n when TemplateCodes.Contains(n) => TemplateRefused,
            { } n when UnreachableCodes.Contains(n) => ProviderUnreachable,
            { } n when ThrottledCodes.Contains(n) => Throttled,
            { } n when AccountCodes.Contains(n) => AccountProblem,
            131047 => WindowClosed,
            _ => http switch
            {
                429 => Throttled,
                401 or 403 => AccountProblem,
                >= 500 => ProviderUnreachable,
                _ => Other,
            },
        };
    }

    [GeneratedRegex(@"\bcode (\d+)\b")]
    private static partial Regex CodePattern();

    [GeneratedRegex(@"^SMTP (\d{3}):")]
    private static partial Regex SmtpPattern();

    [GeneratedRegex(@"^WhatsApp (\d{3})\b")]
    private static partial Regex HttpPattern();
}
