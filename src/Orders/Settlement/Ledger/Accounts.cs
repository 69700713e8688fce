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

    public const string ShippingIncome = "shipping";

    /// <summary>The cooperative's bank account payouts leave from.</summary>
    public const string Bank = "bank";
}
