namespace Marketplace.Contracts.Orders;

/// <summary>How money went back to the shopper: to her card or her QRIS/e-wallet payment through Stripe, or in cash at the kiosk.</summary>
public enum RefundMethod
{
    Card,
    Cash,

    /// <summary>Through Stripe, back to the QRIS or GoPay payment it came from.</summary>
    Ewallet,
}
