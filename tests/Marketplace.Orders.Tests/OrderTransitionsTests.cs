using Marketplace.Contracts.Catalog;
using Marketplace.Contracts.Orders;
using Marketplace.Orders.OrderAggregate;
using Marketplace.ServiceDefaults.Errors;
using PaymentChannel = Marketplace.Orders.OrderAggregate.PaymentChannel;

namespace Marketplace.Orders.Tests;

/// <summary>Every step of an order's life from every status: which are taken, which are refused, and what each owes.</summary>
public sealed class OrderTransitionsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 3, 0, 0, TimeSpan.Zero);

    public enum Move
    {
        HoldStock,
        RefuseStock,
        PayByCard,
        PayInCash,
        Expire,
        ReservationLapses,
        HandOver,
        Ship,
        Deliver,
        CancelAsShopper,
        CancelAsAdmin,
    }

    /// <summary>Where each step leads from each status; a status-step pair not listed is refused or changes nothing.</summary>
    private static readonly Dictionary<(string From, Move Move), OrderStatus> Allowed = new()
    {
        [("card:Reserving", Move.HoldStock)] = OrderStatus.AwaitingPayment,
        [("kiosk:Reserving", Move.HoldStock)] = OrderStatus.AwaitingKioskPayment,
        [("card:Reserving", Move.RefuseStock)] = OrderStatus.StockRefused,
        [("kiosk:Reserving", Move.RefuseStock)] = OrderStatus.StockRefused,
        [("card:Reserving", Move.Expire)] = OrderStatus.Expired,
        [("kiosk:Reserving", Move.Expire)] = OrderStatus.Expired,
        [("kiosk:Reserving", Move.ReservationLapses)] = OrderStatus.Expired,
        [("card:Reserving", Move.CancelAsShopper)] = OrderStatus.Cancelled,
        [("kiosk:Reserving", Move.CancelAsShopper)] = OrderStatus.Cancelled,
        [("card:Reserving", Move.CancelAsAdmin)] = OrderStatus.Cancelled,
        [("kiosk:Reserving", Move.CancelAsAdmin)] = OrderStatus.Cancelled,
        [("card:AwaitingPayment", Move.PayByCard)] = OrderStatus.Paid,
        [("card:AwaitingPayment", Move.Expire)] = OrderStatus.Expired,
        [("card:AwaitingPayment", Move.CancelAsShopper)] = OrderStatus.Cancelled,
        [("card:AwaitingPayment", Move.CancelAsAdmin)] = OrderStatus.Cancelled,
        [("kiosk:AwaitingKioskPayment", Move.PayInCash)] = OrderStatus.Paid,
        [("kiosk:AwaitingKioskPayment", Move.Expire)] = OrderStatus.Expired,
        [("kiosk:AwaitingKioskPayment", Move.ReservationLapses)] = OrderStatus.Expired,
        [("kiosk:AwaitingKioskPayment", Move.CancelAsShopper)] = OrderStatus.Cancelled,
        [("kiosk:AwaitingKioskPayment", Move.CancelAsAdmin)] = OrderStatus.Cancelled,
        // A card payment completing just after the deadline is real money: the order is paid (and refunded if the stock is gone).
        [("card:Expired", Move.PayByCard)] = OrderStatus.Paid,
        [("kiosk:Paid", Move.HandOver)] = OrderStatus.HandedOver,
        [("kiosk:Paid", Move.CancelAsAdmin)] = OrderStatus.Cancelled,
        [("card:Paid", Move.HandOver)] = OrderStatus.HandedOver,
        [("card:Paid", Move.CancelAsAdmin)] = OrderStatus.Cancelled,
        [("shipped:Paid", Move.Ship)] = OrderStatus.Shipped,
        [("shipped:Paid", Move.CancelAsAdmin)] = OrderStatus.Cancelled,
        [("shipped:Shipped", Move.Deliver)] = OrderStatus.Delivered,
        // A QRIS or GoPay payment being confirmed: paid through Stripe, expired (failed or lapsed), or cancelled by the cooperative only.
        [("card:ConfirmingPayment", Move.PayByCard)] = OrderStatus.Paid,
        [("card:ConfirmingPayment", Move.Expire)] = OrderStatus.Expired,
        [("card:ConfirmingPayment", Move.CancelAsAdmin)] = OrderStatus.Cancelled,
    };

    public static TheoryData<string, Move> EveryMoveFromEveryStatus()
    {
        var data = new TheoryData<string, Move>();
        string[] starts =
        [
            "card:Reserving", "kiosk:Reserving", "card:AwaitingPayment", "kiosk:AwaitingKioskPayment", "card:ConfirmingPayment", "card:StockRefused", "card:Expired",
            "kiosk:Expired", "card:Cancelled", "card:Paid", "kiosk:Paid", "shipped:Paid", "kiosk:HandedOver", "shipped:Shipped", "shipped:Delivered",
            // A walk-in sale starts handed over: no later step of an online order applies to it.
            "counter:HandedOver",
        ];
        foreach (var start in starts)
        {
            foreach (var step in Enum.GetValues<Move>())
            {
                data.Add(start, step);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryMoveFromEveryStatus))]
    public void A_move_is_made_only_where_the_life_of_an_order_allows_it(string start, Move step)
    {
        var order = OrderIn(start);
        var before = order.Status;
        var owedBefore = order.MessagesOwed().Count;

        Exception? refusal = Record.Exception(() => Take(order, step));

        if (Allowed.TryGetValue((start, step), out var expected))
        {
            Assert.Null(refusal);
            Assert.Equal(expected, order.Status);
        }
        else
        {
            // Refused with a clear conflict, or (a repeated message) simply changing nothing; never a silent other move.
            if (refusal is not null)
            {
                var conflict = Assert.IsAssignableFrom<DomainException>(refusal);
                Assert.Contains(conflict.Code, new[] { Order.IllegalTransition, "stock_not_confirmed", "not_paid" });
            }

            Assert.Equal(before, order.Status);
            Assert.Equal(owedBefore, order.MessagesOwed().Count);
        }
    }

    [Fact]
    public void A_walk_in_sale_is_paid_and_handed_over_at_once_and_owes_the_sale_the_fulfilment_the_stock_and_the_receipt()
    {
        var variant = Guid.NewGuid();
        var soldAt = Now.AddMinutes(-30);
        var order = Order.SellAtCounter(CounterTerms(PaymentChannel.Cash, tendered: 50_000, soldAt: soldAt), [Line(2, 15_000, variant), Line(1, 7_500, variant)], Now);

        Assert.Equal((OrderStatus.HandedOver, FulfilmentKind.Counter, 37_500L), (order.Status, order.Fulfilment, order.TotalRupiah));
        Assert.Equal(12_500, order.Counter!.ChangeRupiah);
        Assert.Equal(Now, order.StockConfirmedAt);
        Assert.Equal(soldAt, order.PaidAt);
        var owed = order.MessagesOwed().Select(m => m.Message).ToList();
        Assert.Equal([typeof(OrderPaid), typeof(OrderLinesFulfilled), typeof(TakeCounterStock), typeof(CounterSaleRecorded)], owed.Select(m => m.GetType()));
        Assert.Equal(Contracts.Orders.PaymentChannel.Cash, ((OrderPaid)owed[0]).Channel);
        Assert.Equal("counter", ((OrderLinesFulfilled)owed[1]).How);
        Assert.Equal(3, Assert.Single(((TakeCounterStock)owed[2]).Lines).Quantity);
        Assert.Equal("K-20261201-0001", ((CounterSaleRecorded)owed[3]).ReceiptNumber);
        Assert.All(order.MessagesOwed(), m => Assert.Equal(order.Id.ToString(), m.OrderingKey));
    }

    [Fact]
    public void A_walk_in_sale_needs_cash_covering_the_total_in_a_till_or_a_QRIS_reference()
    {
        DomainException Refusal(CounterSaleTerms terms) => Assert.ThrowsAny<DomainException>(() => Order.SellAtCounter(terms, [Line(1, 20_000)], Now));

        Assert.Equal("tendered_too_little", Refusal(CounterTerms(PaymentChannel.Cash, tendered: 19_999)).Code);
        Assert.Equal("till_session_required", Refusal(CounterTerms(PaymentChannel.Cash, tendered: 20_000) with { TillSessionId = null }).Code);
        Assert.Equal("reference_required", Refusal(CounterTerms(PaymentChannel.Qris, tendered: null) with { Reference = " " }).Code);
        Assert.Equal("invalid_channel", Refusal(CounterTerms(PaymentChannel.Card, tendered: null)).Code);
        Assert.Equal("empty_sale", Assert.Throws<DomainException>(() => Order.SellAtCounter(CounterTerms(PaymentChannel.Qris, null), [], Now)).Code);
    }

    [Fact]
    public void A_line_sold_at_another_price_than_the_catalogue_keeps_the_buyers_price_and_flags_the_sale()
    {
        var line = Line(2, 15_000) with { ListPriceRupiah = 17_000 };

        var order = Order.SellAtCounter(CounterTerms(PaymentChannel.Qris, null), [line, Line(1, 5_000) with { ListPriceRupiah = 5_000 }], Now);

        Assert.True(order.CounterFlagged);
        Assert.Equal(35_000, order.TotalRupiah);
        Assert.Equal([true, false], order.Lines.Select(l => l.PriceChanged));
        Assert.Equal(30_000, Assert.IsType<OrderPaid>(order.MessagesOwed()[0].Message).Lines[0].LineTotalRupiah);
    }

    [Fact]
    public void Goods_returned_at_the_counter_are_refunded_and_owed_back_to_the_shelf_but_an_online_order_is_not_returned_there()
    {
        var order = OrderIn("counter:HandedOver");
        var online = OrderIn("kiosk:HandedOver");
        var plan = order.PlanRefund([new RefundLineRequest(order.Lines[0].Id, 1)], includeShipping: false);
        var refundId = Guid.NewGuid();

        order.ReturnAtCounter(refundId, plan, "clerk-1", Now);

        var back = Assert.IsType<ReturnCounterStock>(order.MessagesOwed()[^1].Message);
        Assert.Equal((order.Id, refundId, order.Lines[0].VariantId, 1), (back.OrderId, back.RefundId, back.Lines.Single().VariantId, back.Lines.Single().Quantity));
        Assert.Equal(15_000, order.RefundedRupiah);
        Assert.Equal(Order.IllegalTransition, Assert.Throws<ConflictException>(() =>
            online.ReturnAtCounter(Guid.NewGuid(), online.PlanRefund([new RefundLineRequest(online.Lines[0].Id, 1)], false), "clerk-1", Now)).Code);
    }

    [Fact]
    public void Placing_an_order_asks_Catalog_to_hold_each_variant_once()
    {
        var variant = Guid.NewGuid();
        var order = Place(PaymentMethod.Card, FulfilmentKind.Pickup, [Line(2, 15_000, variant), Line(1, 15_000, variant), Line(1, 7_500)]);

        var reserve = Assert.IsType<ReserveStock>(Assert.Single(order.MessagesOwed()).Message);
        Assert.Equal(order.Id, reserve.OrderId);
        Assert.Equal(3, reserve.Lines.Single(l => l.VariantId == variant).Quantity);
        Assert.Equal(2, reserve.Lines.Count);
        Assert.Equal(Now.AddHours(1), reserve.ExpiresAt);
        Assert.Equal(52_500, order.TotalRupiah);
    }

    [Fact]
    public void Held_stock_confirms_the_order_to_its_shopper_with_her_contact_code_and_pay_by_time()
    {
        var order = Place(PaymentMethod.Kiosk, FulfilmentKind.Pickup, [Line(2, 15_000)]);

        order.StockHeld(Now.AddHours(9), Now.AddMinutes(45), Now);

        var confirmed = Assert.IsType<OrderConfirmed>(order.MessagesOwed()[^1].Message);
        Assert.Equal((order.Id, order.PickupCode, true, Now.AddHours(9), 30_000L), (confirmed.OrderId, confirmed.PickupCode, confirmed.PayAtKiosk, confirmed.PayBy, confirmed.TotalRupiah));
        Assert.Equal(new ShopperContact("Siti", "+6281234567890", null, "id"), confirmed.Shopper);
    }

    [Fact]
    public void Payment_owes_the_stock_confirmation_and_what_was_sold_through_its_channel()
    {
        var order = OrderIn("kiosk:AwaitingKioskPayment");

        order.MarkPaid(PaymentChannel.Qris, "QR-77", Now);

        var owed = order.MessagesOwed().Select(m => m.Message).ToList();
        Assert.Equal(order.Id, Assert.IsType<ConfirmStockReservation>(owed[^2]).OrderId);
        var paid = Assert.IsType<OrderPaid>(owed[^1]);
        Assert.Equal(Contracts.Orders.PaymentChannel.Qris, paid.Channel);
        Assert.Equal("QR-77", paid.PaymentReference);
        Assert.Equal(order.TotalRupiah, paid.TotalRupiah);
        Assert.All(order.MessagesOwed(), m => Assert.Equal(order.Id.ToString(), m.OrderingKey));
    }

    [Fact]
    public void A_second_payment_changes_nothing()
    {
        var order = OrderIn("card:Paid");
        var owed = order.MessagesOwed().Count;

        Assert.False(order.MarkPaid(PaymentChannel.Card, "pi_second", Now));
        Assert.Equal(owed, order.MessagesOwed().Count);
        Assert.Equal("pi_test", order.PaymentReference);
    }

    [Fact]
    public void A_kiosk_order_is_not_paid_by_card_nor_a_card_order_in_cash()
    {
        var kiosk = OrderIn("kiosk:AwaitingKioskPayment");
        var card = OrderIn("card:AwaitingPayment");

        Assert.Equal(Order.IllegalTransition, Assert.Throws<ConflictException>(() => kiosk.MarkPaid(PaymentChannel.Card, "pi_x", Now)).Code);
        Assert.Equal(Order.IllegalTransition, Assert.Throws<ConflictException>(() => card.MarkPaid(PaymentChannel.Cash, null, Now)).Code);
    }

    [Fact]
    public void Cancelling_unpaid_releases_the_stock_and_cancelling_paid_does_not()
    {
        var unpaid = OrderIn("card:AwaitingPayment");
        var paid = OrderIn("card:Paid");

        unpaid.Cancel("shopper", byAdmin: false, Now);
        paid.Cancel("cooperative", byAdmin: true, Now);

        Assert.Contains(unpaid.MessagesOwed(), m => m.Message is ReleaseStockReservation);
        Assert.False(Assert.IsType<OrderCancelled>(unpaid.MessagesOwed()[^1].Message).Refunded);
        Assert.DoesNotContain(paid.MessagesOwed(), m => m.Message is ReleaseStockReservation);
        Assert.True(Assert.IsType<OrderCancelled>(paid.MessagesOwed()[^1].Message).Refunded);
    }

    [Fact]
    public void Expiring_releases_the_stock_but_a_lapsed_kiosk_reservation_has_nothing_left_to_release()
    {
        var card = OrderIn("card:AwaitingPayment");
        var kiosk = OrderIn("kiosk:AwaitingKioskPayment");
        var owed = kiosk.MessagesOwed().Count;

        card.Expire(Now, "not paid in time");
        kiosk.ReservationLapsed(Now);

        Assert.Equal("not paid in time", Assert.IsType<ReleaseStockReservation>(card.MessagesOwed()[^1].Message).Reason);
        Assert.Equal(owed, kiosk.MessagesOwed().Count);
    }

    [Fact]
    public void Handing_over_waits_for_Catalog_to_confirm_the_stock_then_makes_every_line_payable()
    {
        var order = OrderIn("kiosk:AwaitingKioskPayment");
        order.MarkPaid(PaymentChannel.Cash, null, Now);

        Assert.Equal("stock_not_confirmed", Assert.Throws<ConflictException>(() => order.HandOver(Now)).Code);
        order.StockConfirmed(Now);
        order.HandOver(Now);

        var fulfilled = Assert.IsType<OrderLinesFulfilled>(order.MessagesOwed()[^1].Message);
        Assert.Equal("handed_over", fulfilled.How);
        Assert.Equal(order.Lines.Select(l => (l.Id, l.Quantity)), fulfilled.Lines.Select(l => (l.OrderLineId, l.Quantity)));
    }

    [Fact]
    public void A_late_payment_on_a_cancelled_order_is_recorded_for_the_books_and_the_order_stays_cancelled()
    {
        var order = OrderIn("card:Cancelled");

        order.RecordLatePayment("pi_late", Now);

        Assert.Equal(OrderStatus.Cancelled, order.Status);
        Assert.True(order.IsPaid);
        Assert.Equal(Contracts.Orders.PaymentChannel.Card, Assert.IsType<OrderPaid>(order.MessagesOwed()[^1].Message).Channel);
        Assert.Throws<ConflictException>(() => order.RecordLatePayment("pi_again", Now));
    }

    [Fact]
    public void A_refund_never_gives_back_more_than_was_paid_and_a_refused_one_is_undone()
    {
        var order = OrderIn("shipped:Paid");
        var line = order.Lines[0];

        var plan = order.PlanRefund([new RefundLineRequest(line.Id, 1)], includeShipping: true);
        Assert.Equal(line.UnitPriceRupiah + order.ShippingRupiah, plan.TotalRupiah);
        Assert.Equal("refund_exceeds_payment", Assert.Throws<DomainException>(() => order.PlanRefund([new RefundLineRequest(line.Id, line.Quantity)], false)).Code);
        Assert.Equal("refund_exceeds_payment", Assert.Throws<DomainException>(() => order.PlanRefund([], includeShipping: true)).Code);

        order.UndoRefund(plan);

        Assert.Equal(0, order.RefundedRupiah);
        var full = order.PlanFullRefund();
        Assert.Equal(order.TotalRupiah, full.TotalRupiah);
        Assert.Equal(order.TotalRupiah, order.RefundedRupiah);
    }

    [Fact]
    public void Nothing_is_refunded_on_an_unpaid_order()
    {
        var order = OrderIn("card:AwaitingPayment");

        Assert.Equal("not_paid", Assert.Throws<ConflictException>(() => order.PlanFullRefund()).Code);
    }

    [Fact]
    public void An_empty_basket_is_not_an_order_and_kiosk_payment_needs_pickup()
    {
        Assert.Equal("empty_basket", Assert.Throws<DomainException>(() => Place(PaymentMethod.Kiosk, FulfilmentKind.Pickup, [])).Code);
        Assert.Equal("kiosk_payment_needs_pickup", Assert.Throws<DomainException>(() => Place(PaymentMethod.Kiosk, FulfilmentKind.Shipping, [Line(1, 10_000)])).Code);
    }

    private static void Take(Order order, Move step)
    {
        switch (step)
        {
            case Move.HoldStock:
                order.StockHeld(Now.AddHours(1), Now.AddMinutes(45), Now);
                break;
            case Move.RefuseStock:
                order.StockRefused([new StockShortfall(order.Lines[0].VariantId, 2, 0, "sold_out")], Now);
                break;
            case Move.PayByCard:
                order.MarkPaid(PaymentChannel.Card, "pi_step", Now);
                break;
            case Move.PayInCash:
                order.MarkPaid(PaymentChannel.Cash, null, Now);
                break;
            case Move.Expire:
                order.Expire(Now, "not paid in time");
                break;
            case Move.ReservationLapses:
                order.ReservationLapsed(Now);
                break;
            case Move.HandOver:
                order.HandOver(Now);
                break;
            case Move.Ship:
                order.Ship("JNE", "JNE123", Now);
                break;
            case Move.Deliver:
                order.Deliver(Now);
                break;
            case Move.CancelAsShopper:
                order.Cancel("shopper", byAdmin: false, Now);
                break;
            case Move.CancelAsAdmin:
                order.Cancel("cooperative", byAdmin: true, Now);
                break;
        }
    }

    /// <summary>An order brought to a status the way the system brings it there. "card", "kiosk" (both picked up) or "shipped" (card, shipped).</summary>
    private static Order OrderIn(string start)
    {
        var (kind, status) = (start.Split(':')[0], Enum.Parse<OrderStatus>(start.Split(':')[1]));
        if (kind == "counter")
        {
            return Order.SellAtCounter(CounterTerms(PaymentChannel.Cash, 100_000), [Line(2, 15_000), Line(1, 7_500)], Now);
        }

        var order = kind switch
        {
            "kiosk" => Place(PaymentMethod.Kiosk, FulfilmentKind.Pickup, [Line(2, 15_000), Line(1, 7_500)]),
            "shipped" => Place(PaymentMethod.Card, FulfilmentKind.Shipping, [Line(2, 15_000), Line(1, 7_500)], shipping: 12_000),
            _ => Place(PaymentMethod.Card, FulfilmentKind.Pickup, [Line(2, 15_000), Line(1, 7_500)]),
        };
        var channel = kind == "kiosk" ? PaymentChannel.Cash : PaymentChannel.Card;
        switch (status)
        {
            case OrderStatus.Reserving:
                break;
            case OrderStatus.StockRefused:
                order.StockRefused([], Now);
                break;
            case OrderStatus.AwaitingPayment or OrderStatus.AwaitingKioskPayment:
                order.StockHeld(Now.AddHours(1), Now.AddMinutes(45), Now);
                break;
            case OrderStatus.ConfirmingPayment:
                order.StockHeld(Now.AddHours(1), Now.AddMinutes(45), Now);
                order.PaymentPending();
                break;
            case OrderStatus.Expired:
                order.StockHeld(Now.AddHours(1), Now.AddMinutes(45), Now);
                order.Expire(Now, "not paid in time");
                break;
            case OrderStatus.Cancelled:
                order.Cancel("shopper", byAdmin: false, Now);
                break;
            default:
                order.StockHeld(Now.AddHours(1), Now.AddMinutes(45), Now);
                order.MarkPaid(channel, channel == PaymentChannel.Card ? "pi_test" : null, Now);
                order.StockConfirmed(Now);
                if (status is OrderStatus.HandedOver)
                {
                    order.HandOver(Now);
                }
                else if (status is OrderStatus.Shipped or OrderStatus.Delivered)
                {
                    order.Ship("JNE", "JNE123", Now);
                    if (status == OrderStatus.Delivered)
                    {
                        order.Deliver(Now);
                    }
                }

                break;
        }

        Assert.Equal(status, order.Status);
        return order;
    }

    private static Order Place(PaymentMethod payment, FulfilmentKind fulfilment, IReadOnlyList<OrderLine> lines, long shipping = 0) =>
        Order.Place(Guid.NewGuid(), "guest:1", new Contact("Siti", "+6281234567890", null), fulfilment,
            fulfilment == FulfilmentKind.Pickup ? new DateOnly(2026, 12, 2) : null,
            fulfilment == FulfilmentKind.Shipping ? new ShippingAddress("Siti", "Jl. Pantai 1", "Probolinggo", "Jawa Timur", "67211") : null,
            payment, lines, shipping, Now, Now.AddHours(1));

    private static CounterSaleTerms CounterTerms(PaymentChannel channel, long? tendered, DateTimeOffset? soldAt = null) =>
        new(Guid.NewGuid(), Guid.NewGuid(), channel, channel == PaymentChannel.Qris ? "QR-2026-77" : null, tendered, Guid.NewGuid(), Late: false,
            "K-20261201-0001", "key", "https://binor.test/nota/1?key=key", "clerk-1", null, "id", "hash", soldAt ?? Now);

    private static OrderLine Line(int quantity, long unitPrice, Guid? variant = null) =>
        new(Guid.NewGuid(), Guid.NewGuid(), variant ?? Guid.NewGuid(), Guid.NewGuid(), "kerupuk", "Kerupuk ikan", "250 g", quantity, unitPrice, 250);
}
