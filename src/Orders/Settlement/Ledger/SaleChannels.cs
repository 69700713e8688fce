using Marketplace.Contracts.Orders;

namespace Marketplace.Orders.Settlement.Ledger;

/// <summary>Which money-received (or refunds) account a payment or refund belongs to: card, e-wallet (online QRIS or GoPay through Stripe), QRIS at the kiosk or cash.</summary>
public static class SaleChannels
{
    public static SaleChannel Of(OrderPaid paid)
    {
        ArgumentNullException.ThrowIfNull(paid);
        return paid.Channel switch
        {
            PaymentChannel.Card => SaleChannel.Card,
            PaymentChannel.Qris => SaleChannel.Qris,
            PaymentChannel.Ewallet => SaleChannel.Ewallet,
            _ => SaleChannel.Cash,
        };
    }

    /// <summary>A refund leaves the way the payment came: by card or e-wallet (back through Stripe), or in cash at the kiosk.</summary>
    public static SaleChannel Of(OrderRefunded refunded)
    {
        ArgumentNullException.ThrowIfNull(refunded);
        return refunded.Method switch
        {
            RefundMethod.Card => SaleChannel.Card,
            RefundMethod.Ewallet => SaleChannel.Ewallet,
            _ => SaleChannel.Cash,
        };
    }

    /// <summary>The channel's name in the ledger's accounts and the reports: <c>card</c>, <c>cash</c>, <c>qris</c>, <c>ewallet</c>.</summary>
    public static string Key(SaleChannel channel) => channel switch
    {
        SaleChannel.Card => "card",
        SaleChannel.Qris => "qris",
        SaleChannel.Ewallet => "ewallet",
        _ => "cash",
    };

    public static SaleChannel FromKey(string key) => key switch
    {
        "card" => SaleChannel.Card,
        "qris" => SaleChannel.Qris,
        "ewallet" => SaleChannel.Ewallet,
        _ => SaleChannel.Cash,
    };
}
