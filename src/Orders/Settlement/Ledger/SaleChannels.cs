using Marketplace.Contracts.Orders;

namespace Marketplace.Orders.Settlement.Ledger;

/// <summary>Which money-received (or refunds) account a payment or refund belongs to: <c>card</c>, <c>qris</c> or <c>cash</c>.</summary>
public static class SaleChannels
{
    public static string Of(OrderPaid paid)
    {
        ArgumentNullException.ThrowIfNull(paid);
        return paid.Channel switch
        {
            PaymentChannel.Card => "card",
            PaymentChannel.Qris => "qris",
            _ => "cash",
        };
    }

    /// <summary>A refund leaves by card (back through Stripe) or in cash at the kiosk.</summary>
    public static string Of(OrderRefunded refunded)
    {
        ArgumentNullException.ThrowIfNull(refunded);
        return refunded.Method == RefundMethod.Card ? "card" : "cash";
    }
}
