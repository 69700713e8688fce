namespace Marketplace.Orders.Settlement.Ledger;

/// <summary>The accounts of a cooperative's books. Member accounts are kept per member.</summary>
public static class Accounts
{
    /// <summary>Money received, per channel: <c>received:card</c>, <c>received:cash</c>, <c>received:qris</c>.</summary>
    public static string Received(SaleChannel channel) => "received:" + SaleChannels.Key(channel);

    /// <summary>Money given back, per channel (a contra account of the money received).</summary>
    public static string RefundsPaid(SaleChannel channel) => "refunds:" + SaleChannels.Key(channel);

    /// <summary>A member's share of sales not yet handed over: owed, not yet payable.</summary>
    public const string MemberPending = "member:pending";

    /// <summary>A member's share she may be paid; negative when a refund came after her payout.</summary>
    public const string MemberAvailable = "member:available";

    /// <summary>A member's money in a payout batch not yet transferred.</summary>
    public const string MemberInPayout = "member:in-payout";

    /// <summary>A member's savings with the cooperative (simpanan wajib deducted from her payouts).</summary>
    public const string MemberSavings = "member:savings";

    public const string FeeIncome = "fees";

    /// <summary>Stripe's processing fees on card payments and refunds: the cooperative's cost, taken from the money received.</summary>
    public const string StripeFees = "payment-fees:stripe";

    /// <summary>The platform's application fee on card payments (a setting, none by default): the cooperative's cost too.</summary>
    public const string ApplicationFees = "payment-fees:application";

    public const string ShippingIncome = "shipping";

    /// <summary>Cash put into a kiosk till other than by a sale (change brought in); its other side is <c>received:cash</c>, the cash in hand.</summary>
    public const string TillPaidIn = "till:paid-in";

    /// <summary>Cash taken out of a kiosk till other than by a refund (a purchase paid from it).</summary>
    public const string TillPaidOut = "till:paid-out";

    /// <summary>The cash counted at a till's closing less the cash expected: a shortfall is a debit, a surplus a credit.</summary>
    public const string TillDifference = "till:difference";

    /// <summary>The cooperative's bank account payouts leave from.</summary>
    public const string Bank = "bank";

    /// <summary>A member's share of an order under a card dispute: neither pending nor payable until the dispute is decided.</summary>
    public const string MemberDisputed = "member:disputed";

    /// <summary>What Stripe withdrew from the cooperative's balance for an open dispute (the amount and its fee), until it is decided.</summary>
    public const string DisputesWithheld = "disputes:withheld";

    /// <summary>Stripe's dispute fees (and what a lost dispute took beyond what it reversed): the cooperative's cost.</summary>
    public const string DisputeFees = "payment-fees:disputes";

    /// <summary>
    /// Card money Stripe paid out to the cooperative's bank: a contra account of <c>received:card</c>. The money still at Stripe
    /// is <c>received:card</c> + <c>refunds:card</c> + this.
    /// </summary>
    public const string StripePaidOut = "stripe:paid-out";
}
