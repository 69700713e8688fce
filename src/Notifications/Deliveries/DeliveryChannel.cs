namespace Marketplace.Notifications.Deliveries;

public enum DeliveryChannel
{
    WhatsApp,
    Email,
}
