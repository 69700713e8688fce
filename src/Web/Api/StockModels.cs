namespace Marketplace.Web.Api;

// The stock card, the cooperative's shelf and its expiring batches, as Catalog answers them.

public sealed record StockBatch(
    Guid Id, Guid VariantId, Guid MemberId, DateOnly? ProducedOn, DateOnly? ExpiresOn, long? CostPerUnitRupiah, int QuantityReceived, int Remaining, Guid? DeliveryId,
    DateTimeOffset ReceivedAt);

/// <summary>A line of the card. <see cref="By"/> is a user id or <c>system</c>; <see cref="ByMember"/> her name when it was a member.</summary>
public sealed record StockMovement(
    long Id, string Kind, int Quantity, int OnHandAfter, Guid BatchId, string By, DateTimeOffset At, string? Reason, Guid? OrderId, Guid? DeliveryId, string? ByMember = null, string? ByAdmin = null);

public sealed record StockCard(
    Guid VariantId, Guid ProductId, string Label, int OnHand, int Reserved, int? LowStockThreshold, IReadOnlyList<StockBatch> Batches, IReadOnlyList<StockMovement> Movements,
    int Page, int PageSize, int TotalMovements);

public sealed record ExpiringBatch(StockBatch Batch, Guid ProductId, string ProductName, string VariantLabel, int DaysLeft);

public sealed record ExpiringBatches(int WarningDays, IReadOnlyList<ExpiringBatch> Batches);

public sealed record ShelfRow(
    Guid ProductId, string ProductName, Guid MemberId, string MemberName, Guid VariantId, string Label, int OnHand, int Reserved, int? LowStockThreshold, bool LowStock);

public sealed record CountedLine(Guid VariantId, int Before, int Counted, int Difference);
