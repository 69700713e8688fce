using Marketplace.ServiceDefaults.Formatting;

namespace Marketplace.Web;

/// <summary>
/// "Chat on WhatsApp": a <c>wa.me</c> link that opens a chat with the cooperative, the first message already written.
/// wa.me wants the number as digits only, country code first (E.164 without the plus); a number that is not one
/// gives no link, so the page offers none rather than a chat with nobody.
/// </summary>
public static class WhatsAppChat
{
    public static string? Link(string? cooperativeNumber, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (WhatsAppNumber.TryNormalize(cooperativeNumber) is not { } e164)
        {
            return null;
        }

        return $"https://wa.me/{e164.TrimStart('+')}?text={Uri.EscapeDataString(text)}";
    }

    /// <summary>
    /// "Share to WhatsApp": <c>wa.me/?text=</c> lets the shopper pick whom to send it to; the link in the text gives the
    /// chat its preview (the page's Open Graph tags).
    /// </summary>
    public static string Share(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return $"https://wa.me/?text={Uri.EscapeDataString(text)}";
    }
}
