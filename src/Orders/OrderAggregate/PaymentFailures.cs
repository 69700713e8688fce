namespace Marketplace.Orders.OrderAggregate;

/// <summary>Why an online QRIS or GoPay payment ended an order (<see cref="Order.PaymentFailure"/>), as the API writes it.</summary>
public static class PaymentFailures
{
    /// <summary>Stripe said the payment failed (<c>checkout.session.async_payment_failed</c>): declined or abandoned in the bank's app.</summary>
    public const string Failed = "payment_failed";

    /// <summary>Stripe had not confirmed the payment by the order's deadline: the QRIS code or GoPay request lapsed.</summary>
    public const string NotConfirmed = "payment_not_confirmed";
}
