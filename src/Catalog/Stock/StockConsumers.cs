using MassTransit;
using Marketplace.Catalog.Data;
using Marketplace.Contracts.Catalog;
using Marketplace.Contracts.Orders;
using Marketplace.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Catalog.Stock;

/// <summary>Holds an order's lines, all or none, and answers StockReserved or StockReservationRefused.</summary>
public sealed class ReserveStockConsumer(CatalogDbContext db, StockLedger ledger, IOutbox outbox, TimeProvider clock)
    : IdempotentConsumer<ReserveStock, CatalogDbContext>(db)
{
    protected override async Task HandleAsync(ReserveStock message, ConsumeContext<ReserveStock> context, CancellationToken cancellationToken)
    {
        // The order id is the natural key: a second request for the same order gets the first answer.
        var existing = await Db.StockReservations.AsNoTracking().FirstOrDefaultAsync(r => r.OrderId == message.OrderId, cancellationToken);
        if (existing is not null)
        {
            if (existing.Status == ReservationStatus.Held)
            {
                outbox.Publish(new StockReserved(existing.OrderId, existing.ExpiresAt), existing.OrderId.ToString());
            }
            else if (existing.Status == ReservationStatus.Refused)
            {
                outbox.Publish(new StockReservationRefused(existing.OrderId, []), existing.OrderId.ToString());
            }

            return;
        }

        var now = clock.GetUtcNow();
        if (message.ExpiresAt <= now)
        {
            Refuse(message, message.Lines.Select(l => new StockShortage(l.VariantId, l.Quantity, 0, "expired")).ToList(), now);
            return;
        }

        var held = StockReservation.Hold(message.OrderId, message.CooperativeId, message.Lines, message.ExpiresAt, now);
        Db.StockReservations.Add(held);
        outbox.Publish(new StockReserved(message.OrderId, message.ExpiresAt), message.OrderId.ToString());

        // Everything else is written before the stock rows are touched: every checkout of the same product waits on
        // their lock, so it is held only for the holds themselves and the commit.
        var transaction = Db.Database.CurrentTransaction!;
        await transaction.CreateSavepointAsync("hold", cancellationToken);
        await Db.SaveChangesAsync(cancellationToken);
        var shortages = await ledger.TryHoldAsync(message.CooperativeId, message.Lines, message.MaxSharePercent, cancellationToken);
        if (shortages.Count > 0)
        {
            // All or none: undo the lines already held and the reservation, keep the inbox record, refuse.
            await transaction.RollbackToSavepointAsync("hold", cancellationToken);
            Db.ChangeTracker.Clear();
            Refuse(message, shortages, now);
        }
    }

    private void Refuse(ReserveStock message, IReadOnlyList<StockShortage> shortages, DateTimeOffset now)
    {
        var refused = StockReservation.Refuse(message.OrderId, message.CooperativeId, message.ExpiresAt, now);
        Db.StockReservations.Add(refused);
        outbox.Publish(new StockReservationRefused(message.OrderId, shortages), message.OrderId.ToString());
    }
}

/// <summary>The order was paid: the held stock leaves the shelf.</summary>
public sealed class ConfirmStockReservationConsumer(CatalogDbContext db, StockBook book, StockLedger ledger, IOutbox outbox, TimeProvider clock)
    : IdempotentConsumer<ConfirmStockReservation, CatalogDbContext>(db)
{
    protected override async Task HandleAsync(ConfirmStockReservation message, ConsumeContext<ConfirmStockReservation> context, CancellationToken cancellationToken)
    {
        var reservation = await StockReservations.LockAsync(Db, message.OrderId, cancellationToken)
            // The reservation request may still be on its way: fail, and the retry finds it.
            ?? throw new InvalidOperationException($"No stock reservation for order {message.OrderId} yet.");
        var key = message.OrderId.ToString();
        switch (reservation)
        {
            case { Status: ReservationStatus.Held }:
                var (sold, expired) = await book.TryTakeHeldAsync(message.OrderId, reservation.CooperativeId, reservation.Lines, cancellationToken);
                if (expired.Count == 0)
                {
                    reservation.Confirm(clock.GetUtcNow());
                    outbox.Publish(new StockReservationConfirmed(message.OrderId), key);
                    outbox.Publish(new StockSoldAtCost(message.OrderId, reservation.CooperativeId, sold, clock.GetUtcNow()), key);
                }
                else
                {
                    // Goods the hold counted on expired before the payment came: they are not sold online. The hold is
                    // let go, and the failure tells Orders to cancel and refund, as when a late payment finds the goods gone.
                    await ledger.ReturnHeldAsync(reservation.Lines, cancellationToken);
                    reservation.FailHeldConfirmation(clock.GetUtcNow());
                    outbox.Publish(new StockConfirmationFailed(message.OrderId, expired), key);
                }

                break;
            case { CanBeConfirmedLate: true }:
                // Paid after the hold lapsed: take the stock if it is still there, else say so (a refund is due).
                var transaction = Db.Database.CurrentTransaction!;
                await transaction.CreateSavepointAsync("take", cancellationToken);
                var (taken, shortages) = await book.TryTakeUnheldAsync(message.OrderId, reservation.Lines, cancellationToken);
                if (shortages.Count == 0)
                {
                    reservation.ConfirmLate(clock.GetUtcNow());
                    outbox.Publish(new StockReservationConfirmed(message.OrderId), key);
                    outbox.Publish(new StockSoldAtCost(message.OrderId, reservation.CooperativeId, taken, clock.GetUtcNow()), key);
                }
                else
                {
                    await transaction.RollbackToSavepointAsync("take", cancellationToken);
                    reservation.FailConfirmation(clock.GetUtcNow());
                    outbox.Publish(new StockConfirmationFailed(message.OrderId, shortages), key);
                }

                break;
            case { Status: ReservationStatus.Confirmed }:
                outbox.Publish(new StockReservationConfirmed(message.OrderId), key);
                break;
            default:
                outbox.Publish(new StockConfirmationFailed(message.OrderId, []), key);
                break;
        }
    }
}

/// <summary>The order was cancelled: the held stock goes back on sale.</summary>
public sealed class ReleaseStockReservationConsumer(CatalogDbContext db, StockLedger ledger, IOutbox outbox, TimeProvider clock)
    : IdempotentConsumer<ReleaseStockReservation, CatalogDbContext>(db)
{
    protected override async Task HandleAsync(ReleaseStockReservation message, ConsumeContext<ReleaseStockReservation> context, CancellationToken cancellationToken)
    {
        var reservation = await StockReservations.LockAsync(Db, message.OrderId, cancellationToken);
        if (reservation is null)
        {
            // Released before it was ever reserved: remember that, so a late reservation request is refused.
            Db.StockReservations.Add(StockReservation.ReleasedBeforeReserved(message.OrderId, clock.GetUtcNow()));
        }
        else if (reservation.Status == ReservationStatus.Held)
        {
            await ledger.ReturnHeldAsync(reservation.Lines, cancellationToken);
            reservation.Release(clock.GetUtcNow());
        }

        outbox.Publish(new StockReservationReleased(message.OrderId), message.OrderId.ToString());
    }
}

/// <summary>
/// A paid order was cancelled before it was handed over: its goods go back into the batches they came from. Once:
/// the inbox drops a redelivery, and the reservation, restocked, is not restocked again. An unpaid order's hold is
/// let go by <see cref="ReleaseStockReservationConsumer"/>; for it this does nothing.
/// </summary>
public sealed class RestockCancelledOrderConsumer(CatalogDbContext db, StockBook book, IOutbox outbox, TimeProvider clock)
    : IdempotentConsumer<OrderCancelled, CatalogDbContext>(db)
{
    protected override async Task HandleAsync(OrderCancelled message, ConsumeContext<OrderCancelled> context, CancellationToken cancellationToken)
    {
        var reservation = await StockReservations.LockAsync(Db, message.OrderId, cancellationToken);
        if (reservation is not { Status: ReservationStatus.Confirmed })
        {
            return;
        }

        var now = clock.GetUtcNow();
        reservation.Restock(now);
        var restocked = await book.RestockAsync(message.OrderId, cancellationToken);
        if (restocked.Count > 0)
        {
            outbox.Publish(new StockRestockedAtCost(message.OrderId, reservation.CooperativeId, restocked, now), message.OrderId.ToString());
        }
    }
}

internal static class StockReservations
{
    /// <summary>Loads a reservation with its row locked, so a confirmation and an expiry cannot both act on it.</summary>
    public static async Task<StockReservation?> LockAsync(CatalogDbContext db, Guid orderId, CancellationToken cancellationToken)
    {
        var locked = await db.Database.SqlQuery<Guid>($"SELECT order_id AS \"Value\" FROM catalog.stock_reservations WHERE order_id = {orderId} FOR UPDATE")
            .ToListAsync(cancellationToken);
        if (locked.Count == 0)
        {
            return null;
        }

        return await db.StockReservations.Include(r => r.Lines).FirstAsync(r => r.OrderId == orderId, cancellationToken);
    }
}
