namespace Marketplace.Orders.OrderAggregate;

public enum FulfilmentKind
{
    /// <summary>Collected at the beach kiosk on the chosen day.</summary>
    Pickup,

    /// <summary>Sent by courier to the shopper's address.</summary>
    Shipping,

    /// <summary>Sold over the kiosk's counter to a walk-in buyer: paid and handed over in one step.</summary>
    Counter,
}
