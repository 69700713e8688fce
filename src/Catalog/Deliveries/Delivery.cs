using Marketplace.ServiceDefaults.Errors;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Catalog.Deliveries;

public enum DeliveryStatus
{
    Announced,
    Received,
}

/// <summary>
/// Goods a member brings to the kiosk (titip barang): she announces them, line by line, and an admin of her cooperative
/// receives them once, counting each line: all, some or none (with a reason when less). Only receiving puts goods on the
/// shelf, each accepted line as a batch with its dates and cost.
/// </summary>
public sealed class Delivery
{
    public const int MaxLines = 50;

    private readonly List<DeliveryLine> _lines = [];

    private Delivery()
    {
    }

    public Guid Id { get; private set; }

    public Guid CooperativeId { get; private set; }

    public Guid MemberId { get; private set; }

    public string MemberName { get; private set; } = string.Empty;

    public DeliveryStatus Status { get; private set; }

    public string? Note { get; private set; }

    public DateTimeOffset AnnouncedAt { get; private set; }

    public DateTimeOffset? ReceivedAt { get; private set; }

    /// <summary>The user id of the admin who received it.</summary>
    public string? ReceivedBy { get; private set; }

    /// <summary>Her name as it was when she received it, for the receipt both sides read and print.</summary>
    public string? ReceivedByName { get; private set; }

    public IReadOnlyList<DeliveryLine> Lines => _lines;

    internal static Delivery Announce(Guid cooperativeId, Guid memberId, string memberName, string? note, IEnumerable<DeliveryLine> lines, DateTimeOffset now)
    {
        var delivery = new Delivery
        {
            Id = Guid.CreateVersion7(now),
            CooperativeId = cooperativeId,
            MemberId = memberId,
            MemberName = memberName,
            Note = note,
            Status = DeliveryStatus.Announced,
            AnnouncedAt = now,
        };
        foreach (var line in lines)
        {
            line.DeliveryId = delivery.Id;
            delivery._lines.Add(line);
        }

        return delivery;
    }

    /// <summary>Records what was accepted of each line; the stock itself is added by the caller, one batch per accepted line.</summary>
    internal void Receive(IReadOnlyDictionary<int, (int Accepted, string? Reason)> counted, string by, string? byName, DateTimeOffset now)
    {
        if (Status != DeliveryStatus.Announced)
        {
            throw new ConflictException("This delivery was received already.", "already_received");
        }

        foreach (var line in _lines)
        {
            var (accepted, reason) = counted[line.LineNo];
            line.Accept(accepted, reason);
        }

        Status = DeliveryStatus.Received;
        ReceivedAt = now;
        ReceivedBy = by;
        ReceivedByName = byName is { Length: > 120 } ? byName[..120] : byName;
    }
}

public sealed class DeliveryLine
{
    private DeliveryLine()
    {
    }

    internal DeliveryLine(int lineNo, Guid variantId, string productName, string variantLabel, int quantity, DateOnly? producedOn, DateOnly? expiresOn, long? costPerUnitRupiah)
    {
        LineNo = lineNo;
        VariantId = variantId;
        ProductName = productName;
        VariantLabel = variantLabel;
        Quantity = quantity;
        ProducedOn = producedOn;
        ExpiresOn = expiresOn;
        CostPerUnitRupiah = costPerUnitRupiah;
    }

    public Guid DeliveryId { get; internal set; }

    public int LineNo { get; private set; }

    public Guid VariantId { get; private set; }

    public string ProductName { get; private set; } = string.Empty;

    public string VariantLabel { get; private set; } = string.Empty;

    /// <summary>How many she announced.</summary>
    public int Quantity { get; private set; }

    public DateOnly? ProducedOn { get; private set; }

    public DateOnly? ExpiresOn { get; private set; }

    public long? CostPerUnitRupiah { get; private set; }

    /// <summary>How many the admin accepted; null until received.</summary>
    public int? Accepted { get; private set; }

    /// <summary>Why fewer were accepted than announced.</summary>
    public string? Reason { get; private set; }

    public Guid? BatchId { get; private set; }

    internal void Accept(int accepted, string? reason)
    {
        Accepted = accepted;
        Reason = reason;
    }

    internal void PlacedIn(Guid batchId) => BatchId = batchId;
}

internal sealed class DeliveryConfiguration : IEntityTypeConfiguration<Delivery>
{
    public void Configure(EntityTypeBuilder<Delivery> builder)
    {
        builder.ToTable("deliveries");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Id).ValueGeneratedNever();
        builder.Property(d => d.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(d => d.MemberName).HasMaxLength(120);
        builder.Property(d => d.Note).HasMaxLength(500);
        builder.Property(d => d.ReceivedBy).HasMaxLength(64);
        builder.Property(d => d.ReceivedByName).HasMaxLength(120);
        builder.HasIndex(d => new { d.CooperativeId, d.AnnouncedAt });
        builder.HasIndex(d => new { d.MemberId, d.AnnouncedAt });
        builder.HasMany(d => d.Lines).WithOne().HasForeignKey(l => l.DeliveryId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(d => d.Lines).HasField("_lines").UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class DeliveryLineConfiguration : IEntityTypeConfiguration<DeliveryLine>
{
    public void Configure(EntityTypeBuilder<DeliveryLine> builder)
    {
        builder.ToTable("delivery_lines", t =>
        {
            t.HasCheckConstraint("ck_delivery_lines_quantity", "quantity > 0");
            t.HasCheckConstraint("ck_delivery_lines_accepted", "accepted IS NULL OR (accepted >= 0 AND accepted <= quantity)");
        });
        builder.HasKey(l => new { l.DeliveryId, l.LineNo });
        builder.Property(l => l.ProductName).HasMaxLength(200);
        builder.Property(l => l.VariantLabel).HasMaxLength(60);
        builder.Property(l => l.Reason).HasMaxLength(300);
        builder.HasOne<Products.ProductVariant>().WithMany().HasForeignKey(l => l.VariantId).OnDelete(DeleteBehavior.Restrict);
    }
}
