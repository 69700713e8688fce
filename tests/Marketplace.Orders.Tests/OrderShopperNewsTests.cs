using Marketplace.Contracts.Orders;
using Marketplace.Orders.OrderAggregate;
using PaymentChannel = Marketplace.Orders.OrderAggregate.PaymentChannel;

namespace Marketplace.Orders.Tests;

/// <summary>What an order owes its shopper's messages after payment: ready at the kiosk, and shipped; each on its step only.</summary>
public sealed class OrderShopperNewsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_pickup_order_is_ready_once_when_its_last_line_is_prepared()
    {
        var order = PaidOrder(FulfilmentKind.Pickup);
        var (first, second) = (order.Lines[0], order.Lines[1]);

        order.MarkLineReady(first.Id, first.MemberId, Now);
        Assert.DoesNotContain(order.MessagesOwed(), m => m.Message is OrderReadyForPickup);

        order.MarkLineReady(second.Id, second.MemberId, Now.AddMinutes(5));
        order.MarkLineReady(second.Id, second.MemberId, Now.AddMinutes(6));
        order.MarkLineReady(first.Id, first.MemberId, Now.AddMinutes(7));

        var ready = Assert.Single(order.MessagesOwed(), m => m.Message is OrderReadyForPickup);
        var message = (OrderReadyForPickup)ready.Message;
        Assert.Equal((order.Id, order.CooperativeId, order.PickupDate, Now.AddMinutes(5)), (message.OrderId, message.CooperativeId, message.PickupDate, message.ReadyAt));
        Assert.Equal(order.Id.ToString(), ready.OrderingKey);
    }

    [Fact]
    public void A_line_refunded_in_full_need_not_be_prepared()
    {
        var order = PaidOrder(FulfilmentKind.Pickup);
        var (kept, refunded) = (order.Lines[0], order.Lines[1]);
        order.PlanRefund([new RefundLineRequest(refunded.Id, refunded.Quantity)], includeShipping: false);

        order.MarkLineReady(kept.Id, kept.MemberId, Now);

        Assert.Single(order.MessagesOwed(), m => m.Message is OrderReadyForPickup);
    }

    [Fact]
    public void A_shipped_order_is_not_ready_for_pickup_but_its_shipment_is_owed_with_courier_and_tracking_number()
    {
        var order = PaidOrder(FulfilmentKind.Shipping);
        foreach (var line in order.Lines)
        {
            order.MarkLineReady(line.Id, line.MemberId, Now);
        }

        order.Ship(" J&T ", " JT0012345678 ", Now);

        Assert.DoesNotContain(order.MessagesOwed(), m => m.Message is OrderReadyForPickup);
        var shipped = Assert.IsType<OrderShipped>(Assert.Single(order.MessagesOwed(), m => m.Message is OrderShipped).Message);
        Assert.Equal((order.Id, "J&T", "JT0012345678", Now), (shipped.OrderId, shipped.Courier, shipped.TrackingNumber, shipped.ShippedAt));
    }

    private static Order PaidOrder(FulfilmentKind fulfilment)
    {
        OrderLine Line() => new(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "kerupuk", "Kerupuk ikan", "250 g", 2, 15_000, 250);
        var order = Order.Place(Guid.NewGuid(), "guest:1", new Contact("Siti", "+6281234567890", null), fulfilment,
            fulfilment == FulfilmentKind.Pickup ? new DateOnly(2026, 12, 2) : null,
            fulfilment == FulfilmentKind.Shipping ? new ShippingAddress("Siti", "Jl. Pantai 1", "Probolinggo", "Jawa Timur", "67211") : null,
            PaymentMethod.Card, [Line(), Line()], fulfilment == FulfilmentKind.Shipping ? 12_000 : 0, Now, Now.AddHours(1));
        order.StockHeld(Now.AddHours(1), Now.AddMinutes(45), Now);
        order.MarkPaid(PaymentChannel.Card, "pi_test", Now);
        order.StockConfirmed(Now);
        return order;
    }
}
