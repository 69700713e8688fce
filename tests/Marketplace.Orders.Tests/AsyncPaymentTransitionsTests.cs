using Marketplace.Contracts.Catalog;
using Marketplace.Contracts.Orders;
using Marketplace.Orders.OrderAggregate;
using Marketplace.ServiceDefaults.Errors;
using PaymentChannel = Marketplace.Orders.OrderAggregate.PaymentChannel;

namespace Marketplace.Orders.Tests;

/// <summary>QRIS and GoPay through Stripe: the order waits while the payment is confirmed, then is paid or ends, once.</summary>
public sealed class AsyncPaymentTransitionsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_payment_being_confirmed_holds_the_stock_and_is_paid_once_as_an_ewallet_sale_with_its_fee()
    {
        var order = AwaitingPayment();
        var owedBefore = order.MessagesOwed().Count;

        Assert.True(order.PaymentPending());
        Assert.False(order.PaymentPending());
        Assert.Equal(OrderStatus.ConfirmingPayment, order.Status);
        Assert.Equal(owedBefore, order.MessagesOwed().Count);

        Assert.True(order.MarkPaid(PaymentChannel.Ewallet, "pi_qris", Now, new PaymentFees(350, 0)));
        Assert.False(order.MarkPaid(PaymentChannel.Ewallet, "pi_qris", Now));

        var paid = Assert.Single(order.MessagesOwed().Select(m => m.Message).OfType<OrderPaid>());
        Assert.Equal((Contracts.Orders.PaymentChannel.Ewallet, 350L), (paid.Channel, paid.StripeFeeRupiah));
        Assert.Single(order.MessagesOwed().Select(m => m.Message).OfType<ConfirmStockReservation>());
        Assert.Equal(OrderStatus.Paid, order.Status);
    }

    [Fact]
    public void Fees_learnt_after_the_payment_are_told_to_Settlement_once_and_not_at_all_when_the_payment_carried_them()
    {
        var withoutFee = AwaitingPayment();
        withoutFee.MarkPaid(PaymentChannel.Card, "pi_late_fee", Now);
        var withFee = AwaitingPayment();
        withFee.MarkPaid(PaymentChannel.Card, "pi_fee", Now, new PaymentFees(900, 0));

        // A charge.updated webhook and then the payout both bring the balance transaction.
        Assert.True(withoutFee.PaymentFeesKnown(new PaymentFees(900, 0), Now));
        Assert.False(withoutFee.PaymentFeesKnown(new PaymentFees(900, 0), Now));
        Assert.False(withFee.PaymentFeesKnown(new PaymentFees(900, 0), Now));

        var told = Assert.Single(withoutFee.MessagesOwed().Select(m => m.Message).OfType<OrderPaymentFeesKnown>());
        Assert.Equal(900, told.StripeFeeRupiah);
        Assert.Empty(withFee.MessagesOwed().Select(m => m.Message).OfType<OrderPaymentFeesKnown>());
        Assert.True(withoutFee.PaymentFeesRecorded && withFee.PaymentFeesRecorded);
    }

    [Fact]
    public void A_failed_payment_ends_the_order_releases_its_stock_once_and_says_why()
    {
        var order = AwaitingPayment();
        order.PaymentPending();

        Assert.True(order.FailPayment(PaymentFailures.Failed, Now));
        Assert.False(order.FailPayment(PaymentFailures.Failed, Now));

        Assert.Equal((OrderStatus.Expired, PaymentFailures.Failed), (order.Status, order.PaymentFailure));
        Assert.Single(order.MessagesOwed().Select(m => m.Message).OfType<ReleaseStockReservation>());
        // It cannot go back to waiting, and a kiosk payment cannot land on it.
        Assert.False(order.PaymentPending());
        Assert.Equal(Order.IllegalTransition, Assert.Throws<ConflictException>(() => order.MarkPaid(PaymentChannel.Qris, "QR", Now)).Code);
    }

    [Fact]
    public void Only_the_cooperative_cancels_an_order_whose_payment_is_being_confirmed()
    {
        var order = AwaitingPayment();
        order.PaymentPending();

        Assert.Equal(Order.IllegalTransition, Assert.Throws<ConflictException>(() => order.Cancel("shopper", byAdmin: false, Now)).Code);
        order.Cancel("cooperative", byAdmin: true, Now);

        Assert.Equal(OrderStatus.Cancelled, order.Status);
        Assert.Single(order.MessagesOwed().Select(m => m.Message).OfType<ReleaseStockReservation>());
    }

    [Fact]
    public void A_kiosk_order_never_waits_for_an_online_payment()
    {
        var order = Place(PaymentMethod.Kiosk);
        order.StockHeld(Now.AddHours(8), Now.AddHours(8), Now);

        Assert.False(order.PaymentPending());
        Assert.False(order.FailPayment(PaymentFailures.Failed, Now));
        Assert.Equal(OrderStatus.AwaitingKioskPayment, order.Status);
        Assert.Equal(Order.IllegalTransition, Assert.Throws<ConflictException>(() => order.MarkPaid(PaymentChannel.Ewallet, "pi", Now)).Code);
    }

    private static Order AwaitingPayment()
    {
        var order = Place(PaymentMethod.Card);
        order.StockHeld(Now.AddHours(1), Now.AddMinutes(45), Now);
        order.AttachCheckout("cs_test_1", "https://stripe.test/cs_test_1", Now.AddMinutes(45), "acct_1");
        return order;
    }

    private static Order Place(PaymentMethod payment) =>
        Order.Place(Guid.NewGuid(), "guest:1", new Contact("Siti", "+6281234567890", null), FulfilmentKind.Pickup, new DateOnly(2026, 12, 2), null,
            payment, [new OrderLine(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "kerupuk", "Kerupuk ikan", "250 g", 2, 25_000, 250)],
            0, Now, Now.AddHours(1));
}
