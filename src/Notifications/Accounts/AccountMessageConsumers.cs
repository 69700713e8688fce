using System.Globalization;
using MassTransit;
using Marketplace.Contracts.Gateway;
using Marketplace.Notifications.Deliveries;
using Marketplace.Notifications.Templates;
using Marketplace.ServiceDefaults.Formatting;
using Marketplace.ServiceDefaults.Messaging;

namespace Marketplace.Notifications.Accounts;

// Messages that hand something over to one person: a password reset link, an invitation code. Each once per event (the
// inbox and the unique key), on the one channel the person has, in the language of the page it was asked from. Their
// parameters are erased once the provider has them (Notification.Accepted).

/// <summary>
/// The reset link goes on the channel the person chose when she has both an email address and a number; without a
/// choice to her email, or by WhatsApp when she has only a phone number. The addresses are the event's (the account's
/// own, as the Gateway has them now), never an older copy.
/// </summary>
public sealed class PasswordResetRequestedConsumer(NotificationsDbContext db, TimeProvider clock) : IdempotentConsumer<PasswordResetRequested, NotificationsDbContext>(db)
{
    protected override async Task HandleAsync(PasswordResetRequested message, ConsumeContext<PasswordResetRequested> context, CancellationToken cancellationToken)
    {
        var chosen = await Db.People.FindAsync([message.UserId], cancellationToken) is { ChosenAt: not null, PreferredChannel: { } preferred } ? preferred : (DeliveryChannel?)null;
        var (channel, address) = chosen == DeliveryChannel.WhatsApp && message.WhatsApp is { Length: > 0 } chosenNumber ? (DeliveryChannel.WhatsApp, chosenNumber)
            : message.Email is { Length: > 0 } email ? (DeliveryChannel.Email, email)
            : message.WhatsApp is { Length: > 0 } whatsApp ? (DeliveryChannel.WhatsApp, whatsApp)
            : (DeliveryChannel.Email, string.Empty);
        if (address.Length == 0)
        {
            return;
        }

        var language = AccountLanguage.Of(message.Language);
        Db.Notifications.Add(Notification.Create(
            context.MessageId!.Value, $"account:{message.UserId}", cooperativeId: null, MessageTemplates.AccountPasswordReset, language, channel, address,
            [message.DisplayName, message.ResetLink.ToString(), AccountLanguage.When(message.ExpiresAt, language, zone: null)], clock.GetUtcNow()));
    }
}

/// <summary>The code goes by WhatsApp when the admin gave a number, else to the email address she gave.</summary>
public sealed class InvitationSentConsumer(NotificationsDbContext db, TimeProvider clock) : IdempotentConsumer<InvitationSent, NotificationsDbContext>(db)
{
    protected override async Task HandleAsync(InvitationSent message, ConsumeContext<InvitationSent> context, CancellationToken cancellationToken)
    {
        var (channel, address) = message.WhatsApp is { Length: > 0 } whatsApp ? (DeliveryChannel.WhatsApp, whatsApp)
            : message.Email is { Length: > 0 } email ? (DeliveryChannel.Email, email)
            : (DeliveryChannel.WhatsApp, string.Empty);
        if (address.Length == 0)
        {
            return;
        }

        var language = AccountLanguage.Of(message.Language);
        var english = language == "en";
        var cooperative = await Db.Cooperatives.FindAsync([message.CooperativeId], cancellationToken);
        var name = cooperative?.Name is { Length: > 0 } known ? known : english ? "a cooperative" : "koperasi";
        var role = message.Kind switch
        {
            "admin" => english ? "a cooperative admin" : "pengurus (admin koperasi)",
            "clerk" => english ? "a kiosk clerk" : "kasir kios",
            _ => english ? "a member" : "anggota",
        };
        Db.Notifications.Add(Notification.Create(
            context.MessageId!.Value, $"invitation:{message.InvitationId}", message.CooperativeId, MessageTemplates.AccountInvitation, language, channel, address,
            [name, role, message.Code, message.AcceptLink.ToString(), AccountLanguage.When(message.ExpiresAt, language, cooperative?.TimeZone)],
            clock.GetUtcNow()));
    }
}

internal static class AccountLanguage
{
    public static string Of(string? language) => language == "en" ? "en" : "id";

    /// <summary>A moment as the person reads it: <c>24 Desember 2026 17.00 WIB</c>, <c>24 December 2026 17:00 WIB</c>.</summary>
    public static string When(DateTimeOffset at, string language, string? zone)
    {
        var culture = CultureInfo.GetCultureInfo(language == "en" ? "en-GB" : "id-ID");
        var local = LocalTime.Of(at, zone);
        return $"{local.At.ToString("d MMMM yyyy HH:mm", culture)} {local.Label}";
    }
}
