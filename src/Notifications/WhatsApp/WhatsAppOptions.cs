namespace Marketplace.Notifications.WhatsApp;

/// <summary>Bound from <c>WhatsApp</c>: the cooperative's WhatsApp Business number on Meta's Cloud API (or the emulator).</summary>
public sealed class WhatsAppOptions
{
    public const string SectionName = "WhatsApp";

    /// <summary>Meta's Graph API; the emulator's address locally.</summary>
    public Uri ApiBase { get; set; } = new("https://graph.facebook.com");

    public string ApiVersion { get; set; } = "v21.0";

    /// <summary>The sending number's id at Meta (not the number itself).</summary>
    public string PhoneNumberId { get; set; } = string.Empty;

    /// <summary>A system user's access token, sent as a bearer token.</summary>
    public string AccessToken { get; set; } = string.Empty;

    /// <summary>The app's secret: status webhooks are signed with it (<c>X-Hub-Signature-256</c>).</summary>
    public string AppSecret { get; set; } = string.Empty;

    /// <summary>What Meta sends back in the webhook subscription handshake (<c>hub.verify_token</c>).</summary>
    public string VerifyToken { get; set; } = string.Empty;
}
