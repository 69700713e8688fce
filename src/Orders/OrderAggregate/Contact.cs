namespace Marketplace.Orders.OrderAggregate;

/// <summary>Who placed the order, as she typed it at checkout: the kiosk greets her by name and can call her number.</summary>
public sealed record Contact(string Name, string WhatsApp, string? Email);
