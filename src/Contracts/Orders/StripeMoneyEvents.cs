namespace Marketplace.Contracts.Orders;

/// <summary>
/// The shopper's bank disputed a card payment (a chargeback), as Stripe confirms it: Stripe took
/// <see cref="AmountRupiah"/> and its fee <see cref="FeeRupiah"/> out of the cooperative's balance until it is decided.
/// Settlement holds the members' shares of the order meanwhile. Published once per dispute.
/// </summary>
public sealed record OrderDisputeOpened(
    Guid OrderId,
    Guid CooperativeId,
    string DisputeId,
    long AmountRupiah,
    long FeeRupiah,
    string Reason,
    DateTimeOffset DueBy,
    DateTimeOffset OpenedAt);

/// <summary>
/// A dispute was decided. Won: Stripe gave <see cref="ReturnedRupiah"/> back (the amount, and the fee where Stripe returns it)
/// and the members' shares are released. Lost: the money is gone, and <see cref="Lines"/> and <see cref="ShippingRupiah"/>
/// (what was not refunded before) are reversed as a refund would be. Published once per dispute, after its
/// <see cref="OrderDisputeOpened"/> (the consumer must not rely on that order).
/// </summary>
public sealed record OrderDisputeClosed(
    Guid OrderId,
    Guid CooperativeId,
    string DisputeId,
    bool Won,
    long AmountRupiah,
    long FeeRupiah,
    long ReturnedRupiah,
    IReadOnlyList<RefundedLine> Lines,
    long ShippingRupiah,
    DateTimeOffset ClosedAt);

/// <summary>
/// One balance transaction a Stripe payout took to the bank, as Orders recognised it: what it belongs to (an order's
/// payment, a refund, a dispute's withdrawal or reversal; none when Orders knows nothing of it) and its money in whole rupiah.
/// <see cref="Kind"/> is Stripe's <c>reporting_category</c> (<c>charge</c>, <c>refund</c>, <c>dispute</c>,
/// <c>dispute_reversal</c>, <c>payout</c>, ...). <see cref="PaymentMethod"/>, for a payment, is how the shopper paid, as
/// Stripe names it on the charge (<c>card</c>, <c>qris</c>, <c>gopay</c>); null for anything else.
/// </summary>
public sealed record StripePayoutTransaction(
    string TransactionId,
    string Kind,
    string Source,
    long AmountRupiah,
    long FeeRupiah,
    long NetRupiah,
    Guid? OrderId,
    Guid? RefundId,
    string? DisputeId,
    string? PaymentMethod = null);

/// <summary>
/// Stripe paid the cooperative's balance out to its bank (<c>payout.paid</c>, verified with Stripe): the payout and every
/// balance transaction in it, for Settlement to move the money from Stripe to the bank and match it to its books.
/// </summary>
public sealed record StripePayoutPaid(
    Guid CooperativeId,
    string PayoutId,
    string StripeAccountId,
    long AmountRupiah,
    DateTimeOffset ArrivalDate,
    IReadOnlyList<StripePayoutTransaction> Transactions,
    DateTimeOffset PaidAt);
