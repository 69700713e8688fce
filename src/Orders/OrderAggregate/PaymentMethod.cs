namespace Marketplace.Orders.OrderAggregate;

/// <summary>How the shopper chose to pay when she placed the order.</summary>
public enum PaymentMethod
{
    /// <summary>On Stripe's Checkout page.</summary>
    Card,

    /// <summary>At the kiosk when she picks the order up, in cash or by the kiosk's QRIS sticker.</summary>
    Kiosk,
}
