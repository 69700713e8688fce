namespace Marketplace.Orders.OrderAggregate;

/// <summary>What Stripe kept of a card payment, whole rupiah: its processing fee and the platform's application fee.</summary>
public sealed record PaymentFees(long StripeFeeRupiah, long ApplicationFeeRupiah);
