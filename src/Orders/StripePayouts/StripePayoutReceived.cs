using Marketplace.Contracts.Orders;
using Marketplace.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Orders.StripePayouts;

/// <summary>
/// A Stripe payout to a cooperative's bank that Orders has heard of and verified: kept by Stripe's id, so its message to
/// Settlement (with every balance transaction in it, recognised) is written once however often <c>payout.paid</c> comes.
/// </summary>
public sealed class StripePayoutReceived : AggregateRoot
{
    private StripePayoutReceived()
    {
    }

    /// <summary>Stripe's id, <c>po_...</c>.</summary>
    public string Id { get; private set; } = string.Empty;

    public Guid CooperativeId { get; private set; }

    public string StripeAccountId { get; private set; } = string.Empty;

    public long AmountRupiah { get; private set; }

    public DateTimeOffset ArrivalDate { get; private set; }

    public int TransactionCount { get; private set; }

    public DateTimeOffset ReceivedAt { get; private set; }

    public static StripePayoutReceived Record(StripePayoutPaid paid)
    {
        ArgumentNullException.ThrowIfNull(paid);
        var received = new StripePayoutReceived
        {
            Id = paid.PayoutId,
            CooperativeId = paid.CooperativeId,
            StripeAccountId = paid.StripeAccountId,
            AmountRupiah = paid.AmountRupiah,
            ArrivalDate = paid.ArrivalDate,
            TransactionCount = paid.Transactions.Count,
            ReceivedAt = paid.PaidAt,
        };
        received.Owe(paid, paid.CooperativeId.ToString());
        return received;
    }
}

internal sealed class StripePayoutReceivedConfiguration : IEntityTypeConfiguration<StripePayoutReceived>
{
    public void Configure(EntityTypeBuilder<StripePayoutReceived> builder)
    {
        builder.ToTable("stripe_payouts");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).HasMaxLength(100);
        builder.Property(p => p.StripeAccountId).HasMaxLength(64);
    }
}
