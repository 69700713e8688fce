namespace Marketplace.Orders.RefundAggregate;

/// <summary>How the money goes back: a card payment to the card through Stripe, kiosk takings in cash over the counter.</summary>
public enum RefundMethod
{
    Card,
    Cash,

    /// <summary>An online QRIS or GoPay payment, back through Stripe.</summary>
    Ewallet,
}
