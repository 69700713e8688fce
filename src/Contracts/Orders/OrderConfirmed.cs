namespace Marketplace.Contracts.Orders;

/// <summary>How to reach the shopper of an order, as she typed it at checkout, and the language she reads.</summary>
public sealed record ShopperContact(string Name, string WhatsApp, string? Email, string Language);

/// <summary>
/// Catalog holds the order's stock: the order stands, and its shopper can be told her pickup code and how to pay
/// (at the kiosk by <see cref="PayBy"/>, the end of the pickup day, or by card on Stripe's page by then). The only
/// order event that carries the shopper's contact; later ones name the order. <see cref="ShopperUserId"/> is her
/// account when she was signed in: her own choice of language and channel then goes before the order's.
/// </summary>
public sealed record OrderConfirmed(
    Guid OrderId,
    Guid CooperativeId,
    string PickupCode,
    bool PayAtKiosk,
    bool Shipping,
    DateOnly? PickupDate,
    DateTimeOffset? PayBy,
    long TotalRupiah,
    ShopperContact Shopper,
    DateTimeOffset ConfirmedAt,
    Guid? ShopperUserId = null);
