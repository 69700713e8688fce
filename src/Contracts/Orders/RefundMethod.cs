namespace Marketplace.Contracts.Orders;

/// <summary>How money went back to the shopper: to her card through Stripe, or in cash at the kiosk.</summary>
public enum RefundMethod
{
    Card,
    Cash,
}
