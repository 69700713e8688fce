namespace Marketplace.Orders.Settlement.Payouts;

/// <summary>How a member is paid: to her confirmed bank account, or in cash at the cooperative when she has none.</summary>
public enum PayoutMethod
{
    Cash,
    Bank,
}
