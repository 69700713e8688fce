namespace Marketplace.Contracts.Catalog;

/// <summary>Every line of the order is held for it until <see cref="ExpiresAt"/>.</summary>
public sealed record StockReserved(Guid OrderId, DateTimeOffset ExpiresAt);

/// <summary>A line the reservation could not hold: how much was asked and how much is left.</summary>
public sealed record StockShortage(Guid VariantId, int Requested, int Available, string Reason);

/// <summary>Nothing was reserved: at least one line is short or not on sale.</summary>
public sealed record StockReservationRefused(Guid OrderId, IReadOnlyList<StockShortage> Shortages);

/// <summary>The reserved stock left the shelf: the order was paid.</summary>
public sealed record StockReservationConfirmed(Guid OrderId);

/// <summary>
/// The order was paid after its reservation had lapsed and the stock is gone: the payment must be refunded.
/// </summary>
public sealed record StockConfirmationFailed(Guid OrderId, IReadOnlyList<StockShortage> Shortages);

/// <summary>The held stock is back on sale: the order was cancelled.</summary>
public sealed record StockReservationReleased(Guid OrderId);

/// <summary>Nobody confirmed the reservation in time; its stock is back on sale.</summary>
public sealed record StockReservationExpired(Guid OrderId);
