using Marketplace.Catalog.Stock;
using Marketplace.Contracts.Orders;
using Marketplace.ServiceDefaults.Errors;

namespace Marketplace.Catalog.Tests;

/// <summary>
/// The stock reservation's life on its own, without a database: held, then closed once (confirmed, released,
/// expired), or refused from the start; a lapsed hold can still be confirmed late, or fail to be.
/// </summary>
public sealed class StockReservationStateTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 3, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset HoldEnds = Now.AddMinutes(30);
    private static readonly Guid Crackers = Guid.NewGuid();
    private static readonly Guid Shrimp = Guid.NewGuid();

    private static StockReservation Held() =>
        StockReservation.Hold(Guid.NewGuid(), Guid.NewGuid(), [new StockLine(Crackers, 2), new StockLine(Shrimp, 1)], HoldEnds, Now);

    private static StockReservation In(ReservationStatus status)
    {
        switch (status)
        {
            case ReservationStatus.Refused:
                return StockReservation.Refuse(Guid.NewGuid(), Guid.NewGuid(), HoldEnds, Now);
            case ReservationStatus.ConfirmationFailed:
                var failed = Held();
                failed.Expire(HoldEnds);
                failed.FailConfirmation(HoldEnds.AddMinutes(5));
                return failed;
            default:
                var reservation = Held();
                switch (status)
                {
                    case ReservationStatus.Confirmed:
                        reservation.Confirm(Now.AddMinutes(1));
                        break;
                    case ReservationStatus.Released:
                        reservation.Release(Now.AddMinutes(1));
                        break;
                    case ReservationStatus.Expired:
                        reservation.Expire(HoldEnds);
                        break;
                    case ReservationStatus.Restocked:
                        reservation.Confirm(Now.AddMinutes(1));
                        reservation.Restock(Now.AddMinutes(2));
                        break;
                }

                return reservation;
        }
    }

    public static TheoryData<ReservationStatus> NotLapsedStatuses() =>
        new(Enum.GetValues<ReservationStatus>().Where(s => s is not (ReservationStatus.Expired or ReservationStatus.Released)));

    public static TheoryData<ReservationStatus> ClosedStatuses() =>
        new(Enum.GetValues<ReservationStatus>().Where(s => s != ReservationStatus.Held));

    [Fact]
    public void A_hold_keeps_one_line_per_variant_with_the_quantities_added_up()
    {
        var orderId = Guid.NewGuid();
        var cooperativeId = Guid.NewGuid();

        var held = StockReservation.Hold(orderId, cooperativeId, [new StockLine(Crackers, 2), new StockLine(Shrimp, 1), new StockLine(Crackers, 3)], HoldEnds, Now);

        Assert.Equal(ReservationStatus.Held, held.Status);
        Assert.Equal(orderId, held.OrderId);
        Assert.Equal(cooperativeId, held.CooperativeId);
        Assert.Equal(HoldEnds, held.ExpiresAt);
        Assert.Equal(Now, held.CreatedAt);
        Assert.Null(held.ClosedAt);
        Assert.Equal(2, held.Lines.Count);
        Assert.Equal(5, held.Lines.Single(l => l.VariantId == Crackers).Quantity);
        Assert.Equal(1, held.Lines.Single(l => l.VariantId == Shrimp).Quantity);
        Assert.All(held.Lines, l => Assert.Equal(orderId, l.OrderId));
    }

    [Fact]
    public void A_hold_that_would_already_have_ended_is_not_taken()
    {
        var refused = Assert.Throws<ConflictException>(() => StockReservation.Hold(Guid.NewGuid(), Guid.NewGuid(), [new StockLine(Crackers, 1)], Now, Now));

        Assert.Equal("illegal_transition", refused.Code);
    }

    [Fact]
    public void A_refusal_is_closed_from_the_start_and_holds_nothing()
    {
        var refused = StockReservation.Refuse(Guid.NewGuid(), Guid.NewGuid(), HoldEnds, Now);

        Assert.Equal(ReservationStatus.Refused, refused.Status);
        Assert.Equal(Now, refused.ClosedAt);
        Assert.Empty(refused.Lines);
    }

    [Fact]
    public void A_release_before_the_request_is_remembered_as_released()
    {
        var released = StockReservation.ReleasedBeforeReserved(Guid.NewGuid(), Now);

        Assert.Equal(ReservationStatus.Released, released.Status);
        Assert.Equal(Now, released.ClosedAt);
        Assert.Empty(released.Lines);
    }

    [Fact]
    public void A_held_reservation_paid_for_is_confirmed()
    {
        var reservation = Held();

        reservation.Confirm(Now.AddMinutes(10));

        Assert.Equal(ReservationStatus.Confirmed, reservation.Status);
        Assert.Equal(Now.AddMinutes(10), reservation.ClosedAt);
    }

    [Fact]
    public void A_held_reservation_of_a_cancelled_order_is_released()
    {
        var reservation = Held();

        reservation.Release(Now.AddMinutes(10));

        Assert.Equal(ReservationStatus.Released, reservation.Status);
        Assert.Equal(Now.AddMinutes(10), reservation.ClosedAt);
    }

    [Fact]
    public void A_held_reservation_expires_when_its_hold_ends()
    {
        var reservation = Held();

        reservation.Expire(HoldEnds);

        Assert.Equal(ReservationStatus.Expired, reservation.Status);
        Assert.Equal(HoldEnds, reservation.ClosedAt);
    }

    [Fact]
    public void A_hold_does_not_expire_before_its_end()
    {
        var reservation = Held();

        var refused = Assert.Throws<ConflictException>(() => reservation.Expire(HoldEnds.AddSeconds(-1)));

        Assert.Equal("illegal_transition", refused.Code);
        Assert.Equal(ReservationStatus.Held, reservation.Status);
        Assert.Null(reservation.ClosedAt);
    }

    [Theory]
    [InlineData(ReservationStatus.Expired)]
    [InlineData(ReservationStatus.Released)]
    public void A_lapsed_hold_paid_for_while_the_stock_is_still_there_is_confirmed_late(ReservationStatus lapsed)
    {
        var reservation = In(lapsed);
        Assert.True(reservation.CanBeConfirmedLate);

        reservation.ConfirmLate(HoldEnds.AddHours(1));

        Assert.Equal(ReservationStatus.Confirmed, reservation.Status);
        Assert.Equal(HoldEnds.AddHours(1), reservation.ClosedAt);
    }

    [Theory]
    [InlineData(ReservationStatus.Expired)]
    [InlineData(ReservationStatus.Released)]
    public void A_lapsed_hold_paid_for_after_the_stock_was_sold_fails_its_confirmation(ReservationStatus lapsed)
    {
        var reservation = In(lapsed);

        reservation.FailConfirmation(HoldEnds.AddHours(1));

        Assert.Equal(ReservationStatus.ConfirmationFailed, reservation.Status);
        Assert.Equal(HoldEnds.AddHours(1), reservation.ClosedAt);
    }

    [Theory]
    [MemberData(nameof(ClosedStatuses))]
    public void Only_a_held_reservation_is_confirmed(ReservationStatus status) =>
        AssertRefused(In(status), r => r.Confirm(HoldEnds.AddHours(1)));

    [Theory]
    [MemberData(nameof(ClosedStatuses))]
    public void Only_a_held_reservation_is_released(ReservationStatus status) =>
        AssertRefused(In(status), r => r.Release(HoldEnds.AddHours(1)));

    [Theory]
    [MemberData(nameof(ClosedStatuses))]
    public void Only_a_confirmed_reservation_is_restocked(ReservationStatus status)
    {
        var reservation = In(status);
        if (status == ReservationStatus.Confirmed)
        {
            reservation.Restock(HoldEnds.AddHours(1));
            Assert.Equal(ReservationStatus.Restocked, reservation.Status);
            AssertRefused(reservation, r => r.Restock(HoldEnds.AddHours(2)));
        }
        else
        {
            AssertRefused(reservation, r => r.Restock(HoldEnds.AddHours(1)));
        }
    }

    [Theory]
    [MemberData(nameof(ClosedStatuses))]
    public void Only_a_held_reservation_expires(ReservationStatus status) =>
        AssertRefused(In(status), r => r.Expire(HoldEnds.AddHours(1)));

    [Theory]
    [MemberData(nameof(NotLapsedStatuses))]
    public void Only_a_lapsed_hold_is_confirmed_late_or_fails_to_be(ReservationStatus status)
    {
        var reservation = In(status);
        Assert.False(reservation.CanBeConfirmedLate);
        AssertRefused(reservation, r => r.ConfirmLate(HoldEnds.AddHours(1)));
        AssertRefused(reservation, r => r.FailConfirmation(HoldEnds.AddHours(1)));
    }

    /// <summary>A refused step changes nothing: neither the status nor when it closed.</summary>
    private static void AssertRefused(StockReservation reservation, Action<StockReservation> step)
    {
        var status = reservation.Status;
        var closedAt = reservation.ClosedAt;

        var refused = Assert.Throws<ConflictException>(() => step(reservation));

        Assert.Equal("illegal_transition", refused.Code);
        Assert.Equal(status, reservation.Status);
        Assert.Equal(closedAt, reservation.ClosedAt);
    }
}
