namespace Marketplace.Orders.OrderAggregate;

/// <summary>How the money actually came in: the cooperative counts each channel's takings on its own.</summary>
public enum PaymentChannel
{
    Card,
    Cash,
    /// <summary>At the kiosk, scanning the cooperative's own QRIS sticker.</summary>
    Qris,

    /// <summary>Online through Stripe by QRIS or an e-wallet (GoPay): money at Stripe like a card's, never in the kiosk's till.</summary>
    Ewallet,
}
