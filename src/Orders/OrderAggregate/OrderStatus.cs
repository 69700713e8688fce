namespace Marketplace.Orders.OrderAggregate;

/// <summary>Where an order is in its life; <see cref="Order"/> moves it, and only along the steps in docs/orders.md.</summary>
public enum OrderStatus
{
    /// <summary>Placed; Catalog is asked to hold its stock.</summary>
    Reserving,

    /// <summary>Catalog could not hold every line; nothing is held, nothing is owed.</summary>
    StockRefused,

    /// <summary>Stock held; waiting for the card payment on Stripe's page.</summary>
    AwaitingPayment,

    /// <summary>Stock held until the end of the pickup day; paid in cash or QRIS at the kiosk.</summary>
    AwaitingKioskPayment,

    /// <summary>
    /// Paid online by QRIS or GoPay, which Stripe confirms later (minutes, when the shopper's bank is slow): the stock
    /// stays held until Stripe says paid or failed, or until the payment's deadline.
    /// </summary>
    ConfirmingPayment,

    Paid,

    /// <summary>Picked up at the kiosk: every line reached the shopper.</summary>
    HandedOver,

    /// <summary>Given to the courier, with its tracking number.</summary>
    Shipped,

    Delivered,

    /// <summary>Not paid in time; its stock went back on sale.</summary>
    Expired,

    Cancelled,
}
