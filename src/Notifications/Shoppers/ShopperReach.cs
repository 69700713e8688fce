using Marketplace.Notifications.Deliveries;

namespace Marketplace.Notifications.Shoppers;

/// <summary>Where an order's messages go, and in which language.</summary>
public sealed record ShopperReach(string Language, DeliveryChannel Channel, string Address)
{
    /// <summary>
    /// By what she typed at checkout (the WhatsApp number it requires, the page's language), unless she ordered signed in
    /// and chose otherwise on her account: her language, and email when she chose it and has an address (the order's, else
    /// her account's).
    /// </summary>
    public static async Task<ShopperReach> OfAsync(
        NotificationsDbContext db, Guid? userId, string orderLanguage, string whatsApp, string? orderEmail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var language = orderLanguage == "en" ? "en" : "id";
        if (userId is not { } id || await db.People.FindAsync([id], cancellationToken) is not { ChosenAt: not null } person)
        {
            return new ShopperReach(language, DeliveryChannel.WhatsApp, whatsApp);
        }

        return person.PreferredChannel == DeliveryChannel.Email && (orderEmail ?? person.Email) is { } email
            ? new ShopperReach(person.Language, DeliveryChannel.Email, email)
            : new ShopperReach(person.Language, DeliveryChannel.WhatsApp, whatsApp);
    }
}
