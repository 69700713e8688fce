namespace Marketplace.Contracts.Orders;

/// <summary>How money for an order came in: by card through Stripe, or at the kiosk in cash or by QRIS, or online by QRIS or GoPay through Stripe.</summary>
public enum PaymentChannel
{
    Card,
    Cash,
    Qris,

    /// <summary>Online through Stripe by QRIS or an e-wallet (GoPay): held at Stripe like card money, paid out with it.</summary>
    Ewallet,
}
