using Marketplace.Contracts.Orders;
using Marketplace.Orders.Settlement.Disputes;
using Marketplace.Orders.Settlement.Ledger;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Orders.Settlement.StripePayouts;

/// <summary>
/// A Stripe payout to the cooperative's bank and what it contained. Each balance transaction names the journal entry that
/// should have moved the same money (<see cref="StripePayoutLine.LedgerSource"/>); whether it did is read from the books
/// when the report is asked for, so a posting that arrives after the payout (messages overtake each other) matches then.
/// </summary>
public sealed class StripePayoutReconciliation
{
    private StripePayoutReconciliation()
    {
    }

    /// <summary>Stripe's id, <c>po_...</c>.</summary>
    public string Id { get; private set; } = string.Empty;

    public Guid CooperativeId { get; private set; }

    public string StripeAccountId { get; private set; } = string.Empty;

    public long AmountRupiah { get; private set; }

    public DateTimeOffset ArrivalDate { get; private set; }

    public DateTimeOffset ReceivedAt { get; private set; }

    public List<StripePayoutLine> Lines { get; private set; } = [];

    public static string PayoutSource(string payoutId) => $"stripe-payout:{payoutId}";

    public static StripePayoutReconciliation Of(StripePayoutPaid paid)
    {
        ArgumentNullException.ThrowIfNull(paid);
        return new StripePayoutReconciliation
        {
            Id = paid.PayoutId,
            CooperativeId = paid.CooperativeId,
            StripeAccountId = paid.StripeAccountId,
            AmountRupiah = paid.AmountRupiah,
            ArrivalDate = paid.ArrivalDate,
            ReceivedAt = paid.PaidAt,
            Lines = paid.Transactions.Select((t, i) => new StripePayoutLine
            {
                PayoutId = paid.PayoutId,
                Position = i,
                TransactionId = t.TransactionId,
                Kind = t.Kind,
                Source = t.Source,
                AmountRupiah = t.AmountRupiah,
                FeeRupiah = t.FeeRupiah,
                NetRupiah = t.NetRupiah,
                OrderId = t.OrderId,
                RefundId = t.RefundId,
                DisputeId = t.DisputeId,
                PaymentMethod = t.PaymentMethod,
                LedgerSource = LedgerSourceOf(paid.PayoutId, t),
            }).ToList(),
        };
    }

    /// <summary>The money left Stripe for the cooperative's bank.</summary>
    public JournalEntry Posting() => JournalEntry.Post(CooperativeId, PayoutSource(Id), "stripe-payout", $"Stripe payout {Id}", ReceivedAt,
        [(Accounts.Bank, null, AmountRupiah), (Accounts.StripePaidOut, null, -AmountRupiah)]);

    /// <summary>Which entry moved this transaction's money in the books: null for one the marketplace knows nothing of.</summary>
    public static string? LedgerSourceOf(string payoutId, StripePayoutTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        return transaction switch
        {
            { Kind: "payout", Source: var source } when source == payoutId => PayoutSource(payoutId),
            { OrderId: { } order, Kind: "charge" or "payment" } => SalePostings.SaleSource(order),
            { RefundId: { } refund } => SalePostings.RefundSource(refund),
            { DisputeId: { } dispute, AmountRupiah: < 0 } => DisputePostings.OpenedSource(dispute),
            { DisputeId: { } dispute } => DisputePostings.ClosedSource(dispute, won: true),
            _ => null,
        };
    }

}

/// <summary>One balance transaction of a payout, in whole rupiah, and the journal entry that should match it.</summary>
public sealed class StripePayoutLine
{
    public long Id { get; private set; }

    public string PayoutId { get; init; } = string.Empty;

    public int Position { get; init; }

    public string TransactionId { get; init; } = string.Empty;

    public string Kind { get; init; } = string.Empty;

    public string Source { get; init; } = string.Empty;

    public long AmountRupiah { get; init; }

    public long FeeRupiah { get; init; }

    public long NetRupiah { get; init; }

    public Guid? OrderId { get; init; }

    public Guid? RefundId { get; init; }

    public string? DisputeId { get; init; }

    public string? LedgerSource { get; init; }

    /// <summary>For a payment: <c>card</c>, <c>qris</c> or <c>gopay</c>, as Stripe named it on the charge.</summary>
    public string? PaymentMethod { get; init; }
}

internal sealed class StripePayoutReconciliationConfiguration : IEntityTypeConfiguration<StripePayoutReconciliation>
{
    public void Configure(EntityTypeBuilder<StripePayoutReconciliation> builder)
    {
        builder.ToTable("stripe_payouts");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).HasMaxLength(100);
        builder.Property(p => p.StripeAccountId).HasMaxLength(64);
        builder.HasIndex(p => new { p.CooperativeId, p.ArrivalDate });
        builder.HasMany(p => p.Lines).WithOne().HasForeignKey(l => l.PayoutId);
        builder.Navigation(p => p.Lines).AutoInclude();
    }
}

internal sealed class StripePayoutLineConfiguration : IEntityTypeConfiguration<StripePayoutLine>
{
    public void Configure(EntityTypeBuilder<StripePayoutLine> builder)
    {
        builder.ToTable("stripe_payout_lines");
        builder.HasKey(l => l.Id);
        builder.Property(l => l.PayoutId).HasMaxLength(100);
        builder.Property(l => l.TransactionId).HasMaxLength(100);
        builder.Property(l => l.Kind).HasMaxLength(40);
        builder.Property(l => l.Source).HasMaxLength(100);
        builder.Property(l => l.DisputeId).HasMaxLength(100);
        builder.Property(l => l.LedgerSource).HasMaxLength(200);
        builder.Property(l => l.PaymentMethod).HasMaxLength(40);
        builder.HasIndex(l => new { l.PayoutId, l.Position }).IsUnique();
    }
}
