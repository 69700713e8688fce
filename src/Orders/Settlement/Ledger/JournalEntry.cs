using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Orders.Settlement.Ledger;

/// <summary>The accounts of a cooperative's books. Member accounts are kept per member.</summary>
public static class Accounts
{
    /// <summary>Money received, per channel: <c>received:card</c>, <c>received:cash</c>, <c>received:qris</c>.</summary>
    public static string Received(string channel) => "received:" + channel;

    /// <summary>Money given back, per channel (a contra account of the money received).</summary>
    public static string RefundsPaid(string channel) => "refunds:" + channel;

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

/// <summary>
/// One posting: immutable, balanced (debits are positive amounts, credits negative, and they sum to zero), and
/// posted once per source (an order's sale, a fulfilment, a refund, a payout step): the source is unique.
/// </summary>
public sealed class JournalEntry
{
    private JournalEntry()
    {
    }

    public Guid Id { get; private set; }

    public Guid CooperativeId { get; private set; }

    /// <summary>What caused it, e.g. <c>sale:{orderId}</c>; unique.</summary>
    public string Source { get; private set; } = string.Empty;

    /// <summary><c>sale</c>, <c>fulfilment</c>, <c>refund</c> or <c>payout</c>.</summary>
    public string Kind { get; private set; } = string.Empty;

    public string Memo { get; private set; } = string.Empty;

    public DateTimeOffset PostedAt { get; private set; }

    public List<JournalLine> Lines { get; private set; } = [];

    public static JournalEntry Post(Guid cooperativeId, string source, string kind, string memo, DateTimeOffset at, IEnumerable<(string Account, Guid? MemberId, long Amount)> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var entry = new JournalEntry { Id = Guid.CreateVersion7(), CooperativeId = cooperativeId, Source = source, Kind = kind, Memo = memo, PostedAt = at };
        entry.Lines = lines.Where(l => l.Amount != 0)
            .Select(l => new JournalLine(entry.Id, cooperativeId, l.Account, l.MemberId, l.Amount, kind, at))
            .ToList();
        if (entry.Lines.Sum(l => l.AmountRupiah) != 0)
        {
            throw new InvalidOperationException($"Entry {source} does not balance: {entry.Lines.Sum(l => l.AmountRupiah)}.");
        }

        return entry;
    }
}

public sealed class JournalLine(Guid entryId, Guid cooperativeId, string account, Guid? memberId, long amountRupiah, string kind, DateTimeOffset postedAt)
{
    public long Id { get; private set; }

    public Guid EntryId { get; private set; } = entryId;

    public Guid CooperativeId { get; private set; } = cooperativeId;

    public string Account { get; private set; } = account;

    public Guid? MemberId { get; private set; } = memberId;

    /// <summary>Debit positive, credit negative, whole rupiah.</summary>
    public long AmountRupiah { get; private set; } = amountRupiah;

    public string Kind { get; private set; } = kind;

    public DateTimeOffset PostedAt { get; private set; } = postedAt;
}

internal sealed class JournalEntryConfiguration : IEntityTypeConfiguration<JournalEntry>
{
    public void Configure(EntityTypeBuilder<JournalEntry> builder)
    {
        builder.ToTable("journal_entries");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Source).HasMaxLength(200);
        builder.HasIndex(e => e.Source).IsUnique();
        builder.Property(e => e.Kind).HasMaxLength(20);
        builder.Property(e => e.Memo).HasMaxLength(300);
        builder.HasMany(e => e.Lines).WithOne().HasForeignKey(l => l.EntryId);
    }
}

internal sealed class JournalLineConfiguration : IEntityTypeConfiguration<JournalLine>
{
    public void Configure(EntityTypeBuilder<JournalLine> builder)
    {
        builder.ToTable("journal_lines");
        builder.HasKey(l => l.Id);
        builder.Property(l => l.Id).UseIdentityAlwaysColumn();
        builder.Property(l => l.Account).HasMaxLength(40);
        builder.Property(l => l.Kind).HasMaxLength(20);
        builder.HasIndex(l => new { l.CooperativeId, l.Account, l.MemberId });
    }
}

/// <summary>One sold order line as the books know it: the split of its money, and how much was refunded since.</summary>
public sealed class SaleLine
{
    private SaleLine()
    {
    }

    public Guid OrderLineId { get; private set; }

    public Guid OrderId { get; private set; }

    public Guid CooperativeId { get; private set; }

    public Guid MemberId { get; private set; }

    public string Category { get; private set; } = string.Empty;

    public string Name { get; private set; } = string.Empty;

    public string Channel { get; private set; } = string.Empty;

    public int Quantity { get; private set; }

    public long GrossRupiah { get; private set; }

    public long FeeRupiah { get; private set; }

    public long ShareRupiah { get; private set; }

    public int RefundedQuantity { get; private set; }

    public long RefundedFeeRupiah { get; private set; }

    public long RefundedShareRupiah { get; private set; }

    public DateTimeOffset SoldAt { get; private set; }

    public DateTimeOffset? FulfilledAt { get; private set; }

    /// <summary>When the member's share becomes available: the hand-over plus the cooperative's holding period.</summary>
    public DateTimeOffset? AvailableFrom { get; private set; }

    /// <summary>When the share moved to available; until then a refund takes it back from pending.</summary>
    public DateTimeOffset? ReleasedAt { get; private set; }

    /// <summary>
    /// The fee is the percentage of the line's total rounded down to the whole rupiah; the remainder is the member's.
    /// </summary>
    public static SaleLine Sell(Contracts.Orders.SoldLine line, Guid orderId, Guid cooperativeId, string channel, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(line);
        var fee = (long)Math.Floor(line.LineTotalRupiah * line.FeePercent / 100m);
        return new SaleLine
        {
            OrderLineId = line.OrderLineId,
            OrderId = orderId,
            CooperativeId = cooperativeId,
            MemberId = line.MemberId,
            Category = line.Category,
            Name = line.Name,
            Channel = channel,
            Quantity = line.Quantity,
            GrossRupiah = line.LineTotalRupiah,
            FeeRupiah = fee,
            ShareRupiah = line.LineTotalRupiah - fee,
            SoldAt = at,
        };
    }

    /// <summary>The member's share still owed on this line (after refunds).</summary>
    public long OpenShareRupiah => ShareRupiah - RefundedShareRupiah;

    public bool Fulfil(DateTimeOffset at, TimeSpan holding)
    {
        if (FulfilledAt is not null)
        {
            return false;
        }

        FulfilledAt = at;
        AvailableFrom = FulfilledAt + holding;
        return true;
    }

    public void Release(DateTimeOffset at) => ReleasedAt ??= at;

    /// <summary>
    /// Reverses <paramref name="quantity"/> units: the fee comes back in proportion, rounded down, and the last unit
    /// refunded takes the remainder, so a line refunded in parts reverses exactly its fee and its share.
    /// </summary>
    public (long Fee, long Share) Refund(int quantity, long grossRupiah)
    {
        if (quantity <= 0 || RefundedQuantity + quantity > Quantity)
        {
            throw new InvalidOperationException($"Line {OrderLineId} cannot take back {quantity} more units.");
        }

        var fee = RefundedQuantity + quantity == Quantity
            ? FeeRupiah - RefundedFeeRupiah
            : FeeRupiah * quantity / Quantity;
        var share = grossRupiah - fee;
        RefundedQuantity += quantity;
        RefundedFeeRupiah += fee;
        RefundedShareRupiah += share;
        return (fee, share);
    }
}

internal sealed class SaleLineConfiguration : IEntityTypeConfiguration<SaleLine>
{
    public void Configure(EntityTypeBuilder<SaleLine> builder)
    {
        builder.ToTable("sale_lines");
        builder.HasKey(l => l.OrderLineId);
        builder.Property(l => l.OrderLineId).ValueGeneratedNever();
        builder.HasIndex(l => l.OrderId);
        builder.HasIndex(l => new { l.CooperativeId, l.MemberId });
        builder.Property(l => l.Category).HasMaxLength(40);
        builder.Property(l => l.Name).HasMaxLength(200);
        builder.Property(l => l.Channel).HasMaxLength(10);
        builder.Ignore(l => l.OpenShareRupiah);
        builder.HasIndex(l => l.AvailableFrom).HasFilter("released_at IS NULL AND available_from IS NOT NULL");
    }
}

/// <summary>A cooperative's settlement settings: how long a handed-over sale is held before its member may be paid.</summary>
public sealed class CooperativeSettings
{
    public Guid CooperativeId { get; set; }

    public int HoldingDays { get; set; }
}

internal sealed class CooperativeSettingsConfiguration : IEntityTypeConfiguration<CooperativeSettings>
{
    public void Configure(EntityTypeBuilder<CooperativeSettings> builder)
    {
        builder.ToTable("cooperative_settings");
        builder.HasKey(s => s.CooperativeId);
        builder.Property(s => s.CooperativeId).ValueGeneratedNever();
    }
}
