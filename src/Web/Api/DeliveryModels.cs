using Marketplace.ServiceDefaults.Formatting;

namespace Marketplace.Web.Api;

/// <summary>Catalog's states of goods brought to the kiosk (titip barang).</summary>
public enum KioskDeliveryStatus
{
    Announced,
    Received,
}

/// <summary>A delivery as Catalog answers it: announced by the member, then received once by an admin.</summary>
public sealed record KioskDelivery(
    Guid Id, Guid CooperativeId, Guid MemberId, string MemberName, KioskDeliveryStatus Status, string? Note, DateTimeOffset AnnouncedAt, DateTimeOffset? ReceivedAt,
    string? ReceivedBy, IReadOnlyList<KioskDeliveryLine> Lines, string? ReceivedByName = null)
{
    /// <summary>The short number printed on the receipt, so the member and the kiosk name the same paper.</summary>
    public string Number => ShortReference.Of(Id);

    public int Announced => Lines.Sum(l => l.Quantity);

    public int Accepted => Lines.Sum(l => l.Accepted ?? 0);

    /// <summary>What the accepted goods cost her, from the lines that name a cost; null when none does.</summary>
    public long? AcceptedCostRupiah => Lines.Any(l => l.CostPerUnitRupiah is not null && l.Accepted > 0)
        ? Lines.Sum(l => (l.Accepted ?? 0) * (l.CostPerUnitRupiah ?? 0L))
        : null;
}

public sealed record KioskDeliveryLine(
    int LineNo, Guid VariantId, string ProductName, string VariantLabel, int Quantity, DateOnly? ProducedOn, DateOnly? ExpiresOn, long? CostPerUnitRupiah,
    int? Accepted, string? Reason, Guid? BatchId);
