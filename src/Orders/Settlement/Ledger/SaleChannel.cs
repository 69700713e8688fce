namespace Marketplace.Orders.Settlement.Ledger;

/// <summary>How money came in or went back; each has its own money-received account, so the kiosk's cash can be counted.</summary>
public enum SaleChannel
{
    Card,
    Cash,
    Qris,

    /// <summary>Online QRIS or GoPay through Stripe: money at Stripe, paid out with the card money, never in a till.</summary>
    Ewallet,
}
