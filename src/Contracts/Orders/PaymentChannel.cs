namespace Marketplace.Contracts.Orders;

/// <summary>How money for an order came in: by card through Stripe, or at the kiosk in cash or by QRIS.</summary>
public enum PaymentChannel
{
    Card,
    Cash,
    Qris,
}
