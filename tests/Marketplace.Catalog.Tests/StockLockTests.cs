using Marketplace.Catalog.Data;
using Marketplace.Catalog.Stock;
using Marketplace.Contracts.Orders;
using Marketplace.ServiceDefaults.Messaging;
using Marketplace.Testing;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Marketplace.Catalog.Tests;

/// <summary>
/// What a paid order's goods leaving the shelf locks: the size's row against every other stock change (the book stays
/// serial per size), but not against another checkout writing its reservation lines, whose foreign key takes a key-share
/// lock on that same row. With <c>FOR UPDATE</c> every checkout of a hot product queued behind each confirmation.
/// </summary>
public sealed class StockLockTests(CatalogHost catalog) : IClassFixture<CatalogHost>
{
    [Fact]
    public async Task Taking_a_paid_orders_goods_blocks_other_stock_changes_of_the_size_but_not_another_checkouts_reservation_lines()
    {
        var cooperative = await catalog.NewCooperativeAsync();
        var member = await catalog.NewMemberAsync(cooperative.Id);
        var variant = (await catalog.PublishedProductAsync(member, Requests.Crackers(stock: 10))).Variants[0].Id;
        var paid = NewId.NextGuid();
        await InTransactionAsync(async db =>
        {
            Assert.Empty(await new StockLedger(db, TimeProvider.System).TryHoldAsync(cooperative.Id, [new StockLine(variant, 2)], null, default));
            db.StockReservations.Add(StockReservation.Hold(paid, cooperative.Id, [new StockLine(variant, 2)], DateTimeOffset.UtcNow.AddMinutes(30), DateTimeOffset.UtcNow));
            await db.SaveChangesAsync();
        });

        // The paid order's goods are taken; its transaction stays open, holding what it locked.
        await using var takingScope = catalog.Host.CreateScope();
        var takingDb = takingScope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        await using var taking = await takingDb.Database.BeginTransactionAsync();
        var book = new StockBook(takingDb, takingScope.ServiceProvider.GetRequiredService<IOutbox>(), TimeProvider.System);
        var (taken, shortages) = await book.TryTakeHeldAsync(paid, cooperative.Id, [new StockReservationLine(paid, variant, 2)], default);
        Assert.Empty(shortages);
        Assert.Equal(2, Assert.Single(taken).Quantity);

        // Another checkout's reservation and its line are written meanwhile: its transaction would fail on the lock
        // timeout if it had to wait for the one above.
        var other = NewId.NextGuid();
        await InTransactionAsync(async db =>
        {
            await db.Database.ExecuteSqlRawAsync("SET LOCAL lock_timeout = '3s'");
            db.StockReservations.Add(StockReservation.Hold(other, cooperative.Id, [new StockLine(variant, 1)], DateTimeOffset.UtcNow.AddMinutes(30), DateTimeOffset.UtcNow));
            await db.SaveChangesAsync();
        });

        // Any other change to the size's stock waits for it (here: gives up at a short lock timeout).
        var blocked = await Assert.ThrowsAnyAsync<Exception>(() => InTransactionAsync(async db =>
        {
            await db.Database.ExecuteSqlRawAsync("SET LOCAL lock_timeout = '300ms'");
            await new StockLedger(db, TimeProvider.System).TryHoldAsync(cooperative.Id, [new StockLine(variant, 1)], null, default);
        }));
        Assert.Equal(PostgresErrorCodes.LockNotAvailable, Assert.IsType<PostgresException>(blocked is PostgresException ? blocked : blocked.InnerException).SqlState);

        await taking.CommitAsync();
        var after = await catalog.InDbAsync(db => db.Variants.Where(v => v.Id == variant).Select(v => new { v.OnHand, v.Reserved }).SingleAsync());
        Assert.Equal(new { OnHand = 8, Reserved = 0 }, after);
        Assert.Equal(2, await catalog.InDbAsync(db => db.Database.SqlQuery<int>($"SELECT quantity AS \"Value\" FROM catalog.stock_allocations WHERE order_id = {paid}").SingleAsync()));
    }

    private async Task InTransactionAsync(Func<CatalogDbContext, Task> work)
    {
        await using var scope = catalog.Host.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync();
        await work(db);
        await transaction.CommitAsync();
    }
}
