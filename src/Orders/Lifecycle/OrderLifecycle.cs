using Marketplace.Contracts.Catalog;
using Marketplace.Orders.OrderAggregate;
using Marketplace.Orders.Payments;
using Marketplace.Orders.RefundAggregate;
using Marketplace.Orders.Tills;
using Marketplace.ServiceDefaults.Audit;
using Marketplace.ServiceDefaults.Errors;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Marketplace.Orders.Lifecycle;

/// <summary>
/// The steps of an order's life that need more than the order itself: Stripe (open its page, learn whether it was
/// paid, close it, refund) or Catalog's answers. Endpoints, consumers, the webhook and the expiry job only call these.
/// Two rules hold throughout: Stripe is asked before a change is saved, never while a transaction is open; and every
/// change is saved under the order's row version, so a concurrent change makes the step look again at the new state.
/// A consumer may call a step inside its inbox transaction: the step's save then commits with the inbox record.
/// </summary>
public sealed class OrderLifecycle(OrdersDbContext db, StripePayments stripe, TimeProvider clock, AuditTrail audit, StripeChecksInFlight checks)
{
    private const int Attempts = 3;

    /// <summary>A step that moves a till's cash competes with every sale at that till, so it tries a little longer.</summary>
    private const int TillAttempts = 5;

    // ---- Catalog's answers to ReserveStock and ConfirmStockReservation ----

    /// <summary>
    /// Catalog holds the stock; first, outside any transaction, a card order gets its Stripe Checkout Session (the order
    /// id is the idempotency key, so a redelivered message finds the same session). Null when no page is to be opened:
    /// a kiosk order, an order no longer reserving, or one whose page could no longer be opened in time (it expires unpaid).
    /// </summary>
    public async Task<OpenedCheckout?> OpenCheckoutAsync(StockReserved held, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(held);
        var order = await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == held.OrderId, cancellationToken);
        if (order is not { Status: OrderStatus.Reserving, PaymentMethod: PaymentMethod.Card } || !stripe.CanStillOpenCheckout(order, clock.GetUtcNow()))
        {
            return null;
        }

        var merchant = await db.Merchants.AsNoTracking().Where(m => m.CooperativeId == order.CooperativeId).Select(m => new { m.StripeAccountId, m.StripeAccount }).FirstAsync(cancellationToken);
        var account = merchant.StripeAccountId
            ?? throw new InvalidOperationException($"Cooperative {order.CooperativeId} took a card order without a Stripe account.");
        var methods = Merchants.OnlinePaymentMethods.Offered(stripe.Settings, merchant.StripeAccount, order.TotalRupiah);
        if (methods.Count == 0)
        {
            // Stripe withdrew every method since the checkout took the order: no page, and the order lapses unpaid.
            return null;
        }

        var session = await stripe.CreateCheckoutAsync(order, account, methods, cancellationToken);
        return new OpenedCheckout(session.Id, session.Url, new DateTimeOffset(session.ExpiresAt, TimeSpan.Zero), account);
    }

    /// <summary>Catalog holds the stock: a card order now waits on its Stripe page, a kiosk order for the shopper.</summary>
    public Task StockHeldAsync(StockReserved held, OpenedCheckout? checkout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(held);
        return ChangeAsync(held.OrderId, o =>
        {
            // Cancelled in the meantime: a session opened for it is never shown to anyone and lapses unpaid.
            if (o.StockHeld(held.ExpiresAt, o.PlacedAt + stripe.CheckoutLifetime, clock.GetUtcNow()) && checkout is not null)
            {
                o.AttachCheckout(checkout.SessionId, checkout.Url, checkout.ExpiresAt, checkout.StripeAccountId);
            }
        }, cancellationToken);
    }

    public Task StockRefusedAsync(StockReservationRefused refused, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(refused);
        var shortfalls = refused.Shortages.Select(s => new StockShortfall(s.VariantId, s.Requested, s.Available, s.Reason)).ToList();
        return ChangeAsync(refused.OrderId, o => o.StockRefused(shortfalls, clock.GetUtcNow()), cancellationToken);
    }

    /// <summary>Catalog took the sold stock off the shelf: the order may now leave the kiosk.</summary>
    public Task StockConfirmedAsync(Guid orderId, CancellationToken cancellationToken) =>
        ChangeAsync(orderId, o => o.StockConfirmed(clock.GetUtcNow()), cancellationToken);

    /// <summary>Catalog let an unpaid kiosk reservation lapse (not collected on its day): the order expires too.</summary>
    public Task ReservationLapsedAsync(Guid orderId, CancellationToken cancellationToken) =>
        ChangeAsync(orderId, o => o.ReservationLapsed(clock.GetUtcNow()), cancellationToken);

    /// <summary>
    /// The shopper paid at the last moment, after her reservation had lapsed, and the stock is gone: the order cannot
    /// be fulfilled, so it is cancelled and the payment refunded in full (the refund reaches Stripe after this commits).
    /// </summary>
    public Task StockConfirmationFailedAsync(Guid orderId, CancellationToken cancellationToken) =>
        ChangeAsync(orderId, o =>
        {
            if (o.Status == OrderStatus.Paid)
            {
                o.Cancel("out-of-stock", byAdmin: true, clock.GetUtcNow());
                db.Refunds.Add(Refund.Start(o, $"out-of-stock-{o.Id}", o.PlanFullRefund(), clock.GetUtcNow()));
            }
        }, cancellationToken);

    /// <summary>
    /// The cooperative lets an unpaid pay-at-kiosk order's stock go, with a reason: the order is cancelled and Catalog
    /// puts the goods back on sale. Null if there is no such order of that cooperative.
    /// </summary>
    public Task<Order?> ReleaseHoldAsync(Guid cooperativeId, Guid orderId, string reason, CancellationToken cancellationToken) =>
        ChangeAsync(orderId, o => o.CooperativeId == cooperativeId && Do(() => Audited(o, "order.hold-released", () => o.ReleaseHold(reason, clock.GetUtcNow()), reason)),
            cancellationToken);

    // ---- Payments ----

    /// <summary>
    /// Cash or QRIS taken at the kiosk for a pay-at-kiosk order. Cash goes into the drawer of the open till session
    /// <paramref name="tillSessionId"/> in the same save, so the session expects it at closing (see
    /// <see cref="TillSession.TakeKioskPayment"/>); QRIS is paid to the cooperative's account and needs no till.
    /// Null if there is no such order of that cooperative.
    /// </summary>
    public async Task<Order?> TakeKioskPaymentAsync(
        Guid cooperativeId, Guid orderId, PaymentChannel channel, string? reference, Guid? tillSessionId, string by, CancellationToken cancellationToken)
    {
        if (channel is not (PaymentChannel.Cash or PaymentChannel.Qris))
        {
            throw new DomainException("method is cash or qris.", "invalid_method");
        }

        var noted = string.IsNullOrWhiteSpace(reference) ? null : reference.Trim();
        if (noted is { Length: > 100 })
        {
            throw new DomainException("A payment reference has at most 100 characters.", "invalid_reference");
        }

        var cash = channel == PaymentChannel.Cash;
        return await ChangeWithTillAsync(orderId, cash ? tillSessionId : null, (o, till) =>
        {
            if (o.CooperativeId != cooperativeId)
            {
                return false;
            }

            if (o.PaymentMethod != PaymentMethod.Kiosk)
            {
                throw new ConflictException("This order is paid by card, not at the kiosk.", Order.IllegalTransition);
            }

            if (o.Status != OrderStatus.AwaitingKioskPayment)
            {
                throw new ConflictException($"An order that is {o.Status} cannot take a kiosk payment.", Order.IllegalTransition);
            }

            var drawer = cash ? OpenTill(o, till, tillSessionId) : null;
            Audited(o, "order.paid-at-kiosk", () => o.MarkPaid(channel, noted, clock.GetUtcNow()));
            if (drawer is not null)
            {
                db.TillMovements.Add(drawer.TakeKioskPayment(o.Id, o.TotalRupiah, by, clock.GetUtcNow()));
            }

            return true;
        }, cancellationToken);
    }

    /// <summary>
    /// Stripe said something about this order's payment (a webhook): Stripe is asked where the Checkout Session stands,
    /// and the order follows. The event's own claims are not trusted, so repeats and arrival order do not matter.
    /// </summary>
    /// <returns>What Stripe said; null when there was nothing to ask (no Stripe page, or already paid).</returns>
    public Task<CheckoutState?> ReconcileWithStripeAsync(Guid orderId, CancellationToken cancellationToken) =>
        checks.CheckAsync(orderId, () => ReconcileNowAsync(orderId, cancellationToken), cancellationToken);

    private async Task<CheckoutState?> ReconcileNowAsync(Guid orderId, CancellationToken cancellationToken)
    {
        var order = await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == orderId, cancellationToken);
        if (order is not { CheckoutSessionId: not null, StripeAccountId: not null } || order.IsPaid)
        {
            return null;
        }

        var state = await stripe.CheckoutStateAsync(order, close: false, cancellationToken);
        if (state.Paid)
        {
            await RecordCardPaymentAsync(orderId, state, cancellationToken);
        }
        else if (state.Async == AsyncPayment.Pending)
        {
            await ChangeAsync(orderId, o => o.PaymentPending(), cancellationToken);
        }
        else if (state.Async == AsyncPayment.Failed)
        {
            await ChangeAsync(orderId, o => o.FailPayment(PaymentFailures.Failed, clock.GetUtcNow()), cancellationToken);
        }
        else if (state.Closed)
        {
            await ChangeAsync(orderId, o => o.Expire(clock.GetUtcNow(), "checkout expired"), cancellationToken);
        }

        return state;
    }

    /// <summary>
    /// An order paid through Stripe whose deadline passed: Stripe's page is closed first, and a QRIS or GoPay payment
    /// still waiting for the bank is cancelled (so neither can take money any more), then the order is paid if Stripe
    /// says it was after all, or expires and its stock goes back on sale.
    /// </summary>
    public async Task ExpireUnpaidAsync(Guid orderId, CancellationToken cancellationToken)
    {
        var order = await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == orderId, cancellationToken);
        if (order is not { Status: OrderStatus.AwaitingPayment or OrderStatus.ConfirmingPayment })
        {
            return;
        }

        var state = order.CheckoutSessionId is null ? null : await stripe.CheckoutStateAsync(order, close: true, cancellationToken);
        if (state is { Paid: true })
        {
            await RecordCardPaymentAsync(orderId, state, cancellationToken);
        }
        else if (state is { Async: not AsyncPayment.None } || order.Status == OrderStatus.ConfirmingPayment)
        {
            // Stripe cancelled the lapsed payment at our asking (or it had failed): the shopper is told it was not confirmed.
            await ChangeAsync(orderId, o => o.FailPayment(PaymentFailures.NotConfirmed, clock.GetUtcNow()), cancellationToken);
        }
        else
        {
            await ChangeAsync(orderId, o => o.Expire(clock.GetUtcNow(), "not paid in time"), cancellationToken);
        }
    }

    /// <summary>A verified card payment: the order is paid, or, if it was cancelled meanwhile, the money is recorded and goes straight back.</summary>
    private async Task RecordCardPaymentAsync(Guid orderId, CheckoutState paid, CancellationToken cancellationToken)
    {
        var paymentIntentId = paid.VerifiedPaymentIntentId!;
        Refund? lateRefund = null;
        await ChangeAsync(orderId, o =>
        {
            lateRefund = null;
            if (o.IsPaid)
            {
                return;
            }

            var now = clock.GetUtcNow();
            if (o.Status == OrderStatus.Cancelled)
            {
                o.RecordLatePayment(paymentIntentId, now, paid.Fees, paid.Channel);
                lateRefund = Refund.Start(o, $"late-payment-{o.Id}", o.PlanFullRefund(), now);
                db.Refunds.Add(lateRefund);
            }
            else
            {
                o.MarkPaid(paid.Channel, paymentIntentId, now, paid.Fees);
            }
        }, cancellationToken);

        if (lateRefund is not null)
        {
            await CompleteRefundAsync(lateRefund.Id, cancellationToken);
        }
    }

    // ---- After payment ----

    /// <summary>The member marks her line prepared. Null if there is no such order.</summary>
    public Task<Order?> MarkLineReadyAsync(Guid orderId, Guid lineId, Guid memberId, CancellationToken cancellationToken) =>
        ChangeAsync(orderId, o => o.MarkLineReady(lineId, memberId, clock.GetUtcNow()), cancellationToken);

    /// <summary>Hands a paid pickup order over at the kiosk. Null if there is no such order that <paramref name="mayChange"/> allows.</summary>
    public Task<Order?> HandOverAsync(Guid orderId, Func<Order, bool> mayChange, CancellationToken cancellationToken) =>
        ChangeAsync(orderId, o => mayChange(o) && Do(() => Audited(o, "order.handed-over", () => o.HandOver(clock.GetUtcNow()))), cancellationToken);

    public Task<Order?> ShipAsync(Guid orderId, string courier, string trackingNumber, Func<Order, bool> mayChange, CancellationToken cancellationToken) =>
        ChangeAsync(orderId, o => mayChange(o) && Do(() => Audited(o, "order.shipped", () => o.Ship(courier, trackingNumber, clock.GetUtcNow()))), cancellationToken);

    public Task<Order?> DeliverAsync(Guid orderId, Func<Order, bool> mayChange, CancellationToken cancellationToken) =>
        ChangeAsync(orderId, o => mayChange(o) && Do(() => Audited(o, "order.delivered", () => o.Deliver(clock.GetUtcNow()))), cancellationToken);

    /// <summary>
    /// Cancels an order: unpaid, its stock goes back on sale; paid (an admin only), what is left of the payment is
    /// refunded. An open Stripe page is closed first, and the order cancelled only once Stripe says it is closed: a
    /// page left open could still take the shopper's money for a cancelled order. A kiosk payment goes back in cash from
    /// the drawer of the open till session <paramref name="tillSessionId"/>, in the same save.
    /// </summary>
    public async Task<Order> CancelAsync(Order seen, bool byAdmin, CancellationToken cancellationToken, Guid? tillSessionId = null, string by = "unknown")
    {
        ArgumentNullException.ThrowIfNull(seen);
        var refundKey = $"cancel-{seen.Id}";
        if (seen is { Status: OrderStatus.Cancelled, IsPaid: true } && byAdmin)
        {
            // A retry of a cancellation whose refund did not finish: finish it.
            if (await db.Refunds.AsNoTracking().FirstOrDefaultAsync(r => r.OrderId == seen.Id && r.RequestKey == refundKey, cancellationToken) is { } pending)
            {
                await CompleteRefundAsync(pending.Id, cancellationToken);
            }

            return seen;
        }

        if (seen is { Status: OrderStatus.AwaitingPayment or OrderStatus.ConfirmingPayment, CheckoutSessionId: not null, StripeAccountId: not null })
        {
            // Closes the page, and cancels a QRIS or GoPay payment still waiting for the shopper's bank.
            var state = await stripe.CheckoutStateAsync(seen, close: true, cancellationToken);
            if (state.Paid)
            {
                await RecordCardPaymentAsync(seen.Id, state, cancellationToken);
                if (!byAdmin)
                {
                    throw new ConflictException("The order was paid just now; ask the cooperative to cancel it.", Order.IllegalTransition);
                }
            }
            else if (state.Async == AsyncPayment.Pending)
            {
                throw new ConflictException("The shopper's QRIS or GoPay payment is being confirmed by her bank; try again in a moment.", "payment_being_confirmed");
            }
            else if (!state.Closed && state.Async != AsyncPayment.Failed)
            {
                throw new ConflictException("Stripe's payment page could not be closed yet; try again in a moment.", "checkout_still_open");
            }
        }

        Refund? refund = null;
        var attempt = 0;
        var cash = seen.PaymentMethod != PaymentMethod.Card;
        var order = await ChangeWithTillAsync(seen.Id, cash ? tillSessionId : null, (o, till) =>
        {
            refund = null;
            // Closing Stripe's page makes Stripe send "expired" at once; that webhook may have closed the order first.
            // An order that is no longer open is what the shopper asked for.
            if (attempt++ > 0 && o.Status is OrderStatus.Expired or OrderStatus.Cancelled)
            {
                return true;
            }

            var wasPaid = o.IsPaid;
            var refunds = wasPaid && o.RefundedRupiah < o.TotalRupiah;
            // Checked before anything changes: a kiosk payment can only go back out of an open till's drawer.
            var drawer = refunds && cash && o.Status != OrderStatus.Cancelled ? OpenTill(o, till, tillSessionId) : null;
            Audited(o, "order.cancelled", () => o.Cancel(byAdmin ? "cooperative" : "shopper", byAdmin, clock.GetUtcNow()));
            if (refunds)
            {
                refund = Refund.Start(o, refundKey, o.PlanFullRefund(), clock.GetUtcNow());
                db.Refunds.Add(refund);
                if (drawer is not null)
                {
                    db.TillMovements.Add(drawer.PayRefund(o.Id, refund.Id, refund.TotalRupiah, by, clock.GetUtcNow()));
                }
            }

            return true;
        }, cancellationToken) ?? throw new NotFoundException("No such order.");

        if (refund is not null)
        {
            await CompleteRefundAsync(refund.Id, cancellationToken);
        }

        return order;
    }

    // ---- Refunds ----

    /// <summary>
    /// Refunds lines (and the shipping) of a paid order: reserved on the order and recorded in one save, then, for a
    /// card, asked of Stripe. The same key on the same order returns the same refund. Null if there is no such order
    /// that <paramref name="mayRefund"/> allows.
    /// </summary>
    /// <remarks>
    /// A kiosk payment goes back in cash from the drawer of the open till session <paramref name="tillSessionId"/>, in the
    /// same save, so the session's expected cash falls by it.
    /// </remarks>
    public async Task<Refund?> RefundAsync(
        Guid orderId, string requestKey, IReadOnlyList<RefundLineRequest> lines, bool shipping, Func<Order, bool> mayRefund, CancellationToken cancellationToken,
        Guid? tillSessionId = null, string by = "unknown")
    {
        ArgumentNullException.ThrowIfNull(lines);
        if (requestKey.Length > 100)
        {
            throw new DomainException("An Idempotency-Key has at most 100 characters.", "invalid_idempotency_key");
        }

        if (lines.Any(l => l is null))
        {
            throw new DomainException("Each refund line needs a lineId and a quantity.", "invalid_line");
        }

        var seen = await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == orderId, cancellationToken);
        if (seen is null || !mayRefund(seen))
        {
            return null;
        }

        var refund = await db.Refunds.AsNoTracking().FirstOrDefaultAsync(r => r.OrderId == orderId && r.RequestKey == requestKey, cancellationToken);
        if (refund is null)
        {
            try
            {
                var cash = seen.PaymentMethod != PaymentMethod.Card;
                await ChangeWithTillAsync(orderId, cash ? tillSessionId : null, (o, till) =>
                {
                    var drawer = cash ? OpenTill(o, till, tillSessionId) : null;
                    refund = Refund.Start(o, requestKey, o.PlanRefund(lines, shipping), clock.GetUtcNow());
                    db.Refunds.Add(refund);
                    if (drawer is not null)
                    {
                        db.TillMovements.Add(drawer.PayRefund(o.Id, refund.Id, refund.TotalRupiah, by, clock.GetUtcNow()));
                    }

                    audit.Record(db, "refund.requested", o.CooperativeId, "order", o.Id, new { o.RefundedRupiah },
                        new { o.PickupCode, refund.Id, refund.TotalRupiah, refund.ShippingRupiah, lines = refund.Lines.Select(l => new { l.OrderLineId, l.Quantity, l.AmountRupiah }).ToList() });
                    return true;
                }, cancellationToken);
            }
            catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
            {
                // The same key raced itself: the other request's refund is this one.
                db.ChangeTracker.Clear();
                refund = await db.Refunds.AsNoTracking().FirstAsync(r => r.OrderId == orderId && r.RequestKey == requestKey, cancellationToken);
            }
        }

        return await CompleteRefundAsync(refund!.Id, cancellationToken);
    }

    /// <summary>
    /// Asks Stripe to refund a pending card refund and records what it says. Safe to call any number of times, from a
    /// request and from the <c>CompleteRefund</c> command at once: only one moves it out of pending.
    /// </summary>
    public async Task<Refund> CompleteRefundAsync(Guid refundId, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var pending = await db.Refunds.AsNoTracking().FirstAsync(r => r.Id == refundId, cancellationToken);
        if (pending.Status != RefundStatus.Pending)
        {
            return pending;
        }

        var order = await db.Orders.AsNoTracking().FirstAsync(o => o.Id == pending.OrderId, cancellationToken);
        string? stripeRefundId = null;
        long? stripeFee = null;
        string? refusal = null;
        try
        {
            (stripeRefundId, stripeFee) = await stripe.RefundAsync(order, pending, cancellationToken);
        }
        catch (RefundRefusedException refused)
        {
            refusal = refused.Message;
        }

        for (var attempt = 1; ; attempt++)
        {
            var refund = await db.Refunds.FirstAsync(r => r.Id == refundId, cancellationToken);
            var now = clock.GetUtcNow();
            if (refusal is null)
            {
                refund.Succeed(stripeRefundId, now, stripeFee);
            }
            else if (refund.Fail(refusal, now))
            {
                var tracked = await db.Orders.FirstAsync(o => o.Id == refund.OrderId, cancellationToken);
                tracked.UndoRefund(refund.Plan);
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return refund;
            }
            catch (DbUpdateConcurrencyException) when (attempt < Attempts)
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    // ---- The one way every step is saved ----

    /// <summary>
    /// Loads the order, applies <paramref name="change"/> and saves, with what the change owes. When another change
    /// saved first, it starts again from the new state (the change decides afresh). Null if there is no such order.
    /// </summary>
    private Task<Order?> ChangeAsync(Guid orderId, Action<Order> change, CancellationToken cancellationToken) =>
        ChangeAsync(orderId, o =>
        {
            change(o);
            return true;
        }, cancellationToken);

    /// <summary>As above; a change returning false leaves the order untouched and yields null (not found, for that caller).</summary>
    private async Task<Order?> ChangeAsync(Guid orderId, Func<Order, bool> change, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            var order = await db.Orders.FirstOrDefaultAsync(o => o.Id == orderId, cancellationToken);
            if (order is null || !change(order))
            {
                return null;
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return order;
            }
            catch (DbUpdateConcurrencyException) when (attempt < Attempts)
            {
            }
        }
    }

    /// <summary>
    /// As <see cref="ChangeAsync(Guid, Func{Order, bool}, CancellationToken)"/>, with the till session whose drawer the
    /// step's cash goes into or out of: the order, the session's totals and the movement are saved together, each under
    /// its row version, so a sale at the same till meanwhile makes the step start again from the new totals.
    /// </summary>
    private async Task<Order?> ChangeWithTillAsync(Guid orderId, Guid? tillSessionId, Func<Order, TillSession?, bool> change, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            var order = await db.Orders.FirstOrDefaultAsync(o => o.Id == orderId, cancellationToken);
            var till = tillSessionId is { } id ? await db.TillSessions.FirstOrDefaultAsync(s => s.Id == id, cancellationToken) : null;
            if (order is null || !change(order, till))
            {
                return null;
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return order;
            }
            catch (DbUpdateConcurrencyException) when (attempt < TillAttempts)
            {
            }
        }
    }

    /// <summary>
    /// The open till session of the order's cooperative that cash of this order goes into or out of. Cash outside a
    /// till would be in the drawer (or missing from it) without the session knowing: its count would show a difference
    /// and book the same cash a second time.
    /// </summary>
    private static TillSession OpenTill(Order order, TillSession? till, Guid? tillSessionId)
    {
        if (tillSessionId is null)
        {
            throw new ValidationFailedException([new FieldError("tillSessionId", "till_session_required", "Cash goes into or out of a till: open a till session first.")]);
        }

        if (till is null || till.CooperativeId != order.CooperativeId)
        {
            throw new ValidationFailedException([new FieldError("tillSessionId", "unknown_till_session", "This till session is not known here.")]);
        }

        return till.Status == TillSessionStatus.Open
            ? till
            : throw new ValidationFailedException([new FieldError("tillSessionId", "till_closed", "This till session is closed: open one to take the cash.")]);
    }

    /// <summary>
    /// Applies a step an admin, a clerk or a shopper took on the order's money or goods, and writes it into the audit trail
    /// with the order's state before and after, in the same save.
    /// </summary>
    private void Audited(Order order, string action, Action step, string? reason = null)
    {
        var before = AuditedFields(order);
        step();
        audit.Record(db, action, order.CooperativeId, "order", order.Id, before, AuditedFields(order), reason);
    }

    private static object AuditedFields(Order order) => new
    {
        order.PickupCode, order.Status, order.TotalRupiah, order.PaymentChannel, order.PaymentReference, order.RefundedRupiah, order.TrackingNumber,
    };

    private static bool Do(Action step)
    {
        step();
        return true;
    }
}
