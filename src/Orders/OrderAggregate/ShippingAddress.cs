namespace Marketplace.Orders.OrderAggregate;

/// <summary>Where a parcel goes. <see cref="Zone"/> is set from the province when the order is placed.</summary>
public sealed record ShippingAddress(string Recipient, string Street, string City, string Province, string PostalCode, string? Zone = null);
