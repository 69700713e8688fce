namespace Marketplace.Orders.OrderAggregate;

/// <summary>How the money actually came in: the cooperative counts each channel's takings on its own.</summary>
public enum PaymentChannel
{
    Card,
    Cash,
    Qris,
}
