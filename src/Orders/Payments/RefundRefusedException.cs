namespace Marketplace.Orders.Payments;

/// <summary>Stripe refused a refund for good (not a network failure): the refund fails, and its amount is available again.</summary>
public sealed class RefundRefusedException(string reason, Exception inner) : Exception(reason, inner);
