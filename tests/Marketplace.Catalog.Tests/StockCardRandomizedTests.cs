using System.Collections.Concurrent;
using MassTransit;
using Marketplace.Catalog.Data;
using Marketplace.Catalog.Stock;
using Marketplace.Contracts.Orders;
using Marketplace.ServiceDefaults.Formatting;
using Marketplace.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace Marketplace.Catalog.Tests;

/// <summary>
/// Hundreds of receipts, paid sales, holds paid later or let go, cancellations of paid orders, counter sales (some beyond
/// stock), counter returns, counts and expiry sweeps, ten at a time on separate contexts, while the days pass (each round
/// runs on a clock some days after the first, so batches expire under open holds); then every size's on hand is the sum
/// of its card and of its batches, no batch and no on hand went below zero, every sale and count took the batch that
/// expires first, nothing was sold online from a batch past its date, every counter sale's shortage is exactly what it
/// could not take, and every return went back where its sale came from.
/// </summary>
public sealed class StockCardRandomizedTests(CatalogHost catalog, ITestOutputHelper output) : IClassFixture<CatalogHost>
{
    private const int Rounds = 100;
    private const int OperationsPerRound = 10;

    // A day passes every few rounds, so a run spans about three weeks of batches expiring.
    private const int RoundsPerDay = 5;

    [Fact]
    public async Task Random_concurrent_stock_operations_keep_the_card_the_batches_and_first_expiring_first_out()
    {
        var seed = Environment.TickCount;
        output.WriteLine($"seed {seed}");
        var random = new Random(seed);
        var cooperative = await catalog.NewCooperativeAsync();
        var member = await catalog.NewMemberAsync(cooperative.Id);
        var variants = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            variants.Add((await catalog.PublishedProductAsync(member, Requests.Crackers(name: $"Kerupuk Uji {i}", stock: 5))).Variants[0].Id);
        }

        var start = DateTimeOffset.UtcNow;
        DateTimeOffset At(int round) => start.AddDays(round / RoundsPerDay);
        var sold = new ConcurrentQueue<Guid>();
        var held = new ConcurrentQueue<HeldOrder>();
        var counterSales = new ConcurrentQueue<CounterSale>();
        var allCounterSales = new ConcurrentBag<CounterSale>();
        var done = new ConcurrentDictionary<string, int>();
        for (var round = 0; round < Rounds; round++)
        {
            var now = At(round);
            var today = LocalTime.Today(now, Cooperatives.Cooperative.DefaultTimeZone);
            var operations = new List<Func<Task>>();
            for (var i = 0; i < OperationsPerRound; i++)
            {
                var roll = random.Next(100);
                var variant = variants[random.Next(variants.Count)];
                var quantity = random.Next(1, 8);
                int? days = random.Next(10) switch { 0 => null, 1 => -random.Next(1, 4), _ => random.Next(0, 15) };
                long? cost = random.Next(10) == 0 ? null : random.Next(1, 40) * 500;
                var counted = random.Next(0, 25);
                var pair = variants.OrderBy(_ => random.Next()).Take(random.Next(1, 3)).Select(v => new StockLine(v, random.Next(1, 5))).ToList();
                operations.Add(roll switch
                {
                    < 30 => () => Count(done, "received", InBookAsync(now, async (book, _) =>
                        await book.ReceiveAsync((await book.LockAsync(variant, default))!, quantity * 3, MovementKinds.Received,
                            new BatchDates(null, days is { } d ? today.AddDays(d) : null, cost), "test", null, null, default))),
                    < 42 => () => Count(done, "sold", SellAsync(now, cooperative.Id, pair, sold)),
                    < 50 => () => Count(done, "held", HoldAsync(now, cooperative.Id, pair, held)),
                    < 56 => () => held.TryDequeue(out var order)
                        ? Count(done, "held then paid", PayHeldAsync(now, order, sold, done))
                        : Task.CompletedTask,
                    < 59 => () => held.TryDequeue(out var order)
                        ? Count(done, "held then let go", InBookAsync(now, async (_, db) => await new StockLedger(db, new FixedClock(now)).ReturnHeldAsync(order.Lines, default)))
                        : Task.CompletedTask,
                    < 67 => () => Count(done, "sold at counter", SellAtCounterAsync(now, cooperative.Id, pair.Select(l => l with { Quantity = l.Quantity * 2 }).ToList(), counterSales, allCounterSales)),
                    < 72 => () => counterSales.TryDequeue(out var sale)
                        ? Count(done, "returned at counter", ReturnAtCounterAsync(now, cooperative.Id, sale, random.Next(1, 4), counterSales))
                        : Task.CompletedTask,
                    < 80 => () => sold.TryDequeue(out var order)
                        ? Count(done, "restocked", InBookAsync(now, (book, _) => book.RestockAsync(order, default)))
                        : Task.CompletedTask,
                    < 92 => () => Count(done, "counted", InBookAsync(now, async (book, _) =>
                    {
                        // As the count's endpoint does: the count settles the size's open shortages. What open holds keep
                        // aside is on the shelf too, so a count never finds less (the endpoint refuses less).
                        var locked = (await book.LockAsync(variant, default))!;
                        await book.SetOnHandAsync(locked, Math.Max(counted, locked.Reserved), MovementKinds.Counted, "test", "opname", default);
                        await book.ResolveShortagesByCountAsync([variant], default);
                    })),
                    _ => () => Count(done, "swept", Sweeper(now).SweepAsync(default)),
                });
            }

            await Task.WhenAll(operations.Select(operation => Task.Run(operation)));
        }

        // Holds nobody paid are let go, then the last sweep takes whatever is past its date.
        var end = At(Rounds);
        while (held.TryDequeue(out var order))
        {
            await InBookAsync(end, async (_, db) => await new StockLedger(db, new FixedClock(end)).ReturnHeldAsync(order.Lines, default));
        }

        await Sweeper(end).SweepAsync(default);
        output.WriteLine(string.Join(", ", done.OrderBy(d => d.Key).Select(d => $"{d.Key} {d.Value}")));
        Assert.True(done.GetValueOrDefault("received") > 200 && done.GetValueOrDefault("sold") > 50 && done.GetValueOrDefault("restocked") > 20
                    && done.GetValueOrDefault("counted") > 40 && done.GetValueOrDefault("held then paid") > 20 && done.GetValueOrDefault("held then let go") > 5
                    && done.GetValueOrDefault("sold at counter") > 40 && done.GetValueOrDefault("returned at counter") > 20,
            "the mix was too thin to prove anything");

        await using var scope = catalog.Host.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        Assert.Empty(await scope.ServiceProvider.GetRequiredService<StockBook>().MismatchesAsync(default));
        Assert.Equal(0, await db.Variants.Where(v => variants.Contains(v.Id)).SumAsync(v => v.Reserved));
        var batches = await db.StockBatches.AsNoTracking().Where(b => variants.Contains(b.VariantId)).ToDictionaryAsync(b => b.Id);
        Assert.True(batches.Count > 200, "a few hundred receipts");
        Assert.All(batches.Values, b => Assert.InRange(b.Remaining, 0, b.QuantityReceived));
        // Nothing past its date is left on the shelf (no order holds anything now).
        var lastDay = LocalTime.Today(end, Cooperatives.Cooperative.DefaultTimeZone);
        Assert.DoesNotContain(batches.Values, b => b.ExpiresOn < lastDay && b.Remaining > 0);
        Assert.Contains(await db.StockMovements.AsNoTracking().Where(m => variants.Contains(m.VariantId)).Select(m => m.Kind).Distinct().ToListAsync(), k => k == MovementKinds.Expired);

        foreach (var variant in variants)
        {
            var movements = await db.StockMovements.AsNoTracking().Where(m => m.VariantId == variant).OrderBy(m => m.Id).ToListAsync();
            var remaining = new Dictionary<Guid, int>();
            var onHand = 0;
            foreach (var movement in movements)
            {
                onHand += movement.Quantity;
                Assert.Equal(onHand, movement.OnHandAfter);
                Assert.True(onHand >= 0, $"on hand went below zero at movement {movement.Id}");
                var dayOfMovement = LocalTime.Today(movement.At, Cooperatives.Cooperative.DefaultTimeZone);
                if (movement.Kind == MovementKinds.SoldOnline)
                {
                    var from = batches[movement.BatchId];
                    Assert.False(from.ExpiresOn < dayOfMovement, $"Movement {movement.Id} sold online on {dayOfMovement} from batch {from.Id}, expired on {from.ExpiresOn}");
                }

                var taking = movement.Quantity < 0 && movement.Kind is MovementKinds.SoldOnline or MovementKinds.SoldAtCounter or MovementKinds.Counted;
                if (taking)
                {
                    var taken = batches[movement.BatchId];
                    var earlier = remaining.Where(r => r.Value > 0 && r.Key != taken.Id && Sooner(batches[r.Key], taken, dayOfMovement)).Select(r => r.Key).ToList();
                    Assert.True(earlier.Count == 0, $"Movement {movement.Id} took batch {taken.Id} (expires {taken.ExpiresOn}) while {string.Join(", ", earlier.Select(e => batches[e].ExpiresOn))} had stock");
                }

                remaining[movement.BatchId] = remaining.GetValueOrDefault(movement.BatchId) + movement.Quantity;
                Assert.True(remaining[movement.BatchId] >= 0, $"batch {movement.BatchId} went below zero at movement {movement.Id}");
            }

            Assert.All(remaining, r => Assert.Equal(batches[r.Key].Remaining, r.Value));
        }

        // Every counter sale: what it took plus its shortage is what was sold; what came back went into the batches it was
        // taken from (no more than was taken from each), closed its shortage, or (a count had settled it) a new batch.
        var shortages = await db.StockShortages.AsNoTracking().Where(x => variants.Contains(x.VariantId)).ToListAsync();
        Assert.True(shortages.Count > 0, "no counter sale went beyond stock");
        foreach (var sale in allCounterSales)
        {
            var movements = await db.StockMovements.AsNoTracking().Where(m => m.OrderId == sale.OrderId).ToListAsync();
            var allocations = await db.StockAllocations.AsNoTracking().Where(a => a.OrderId == sale.OrderId).ToDictionaryAsync(a => a.BatchId, a => a.Quantity);
            foreach (var line in sale.Lines)
            {
                var taken = -movements.Where(m => m.VariantId == line.VariantId && m.Kind == MovementKinds.SoldAtCounter).Sum(m => m.Quantity);
                var shortage = shortages.SingleOrDefault(x => x.OrderId == sale.OrderId && x.VariantId == line.VariantId);
                Assert.Equal(line.Quantity, taken + (shortage?.Quantity ?? 0));
                var back = movements.Where(m => m.VariantId == line.VariantId && m.Kind == MovementKinds.Returned).ToList();
                Assert.Equal(sale.Returned.GetValueOrDefault(line.VariantId), back.Sum(m => m.Quantity) + (shortage?.Returned ?? 0));
                Assert.All(back.Where(m => allocations.ContainsKey(m.BatchId)).GroupBy(m => m.BatchId), g => Assert.True(g.Sum(m => m.Quantity) <= allocations[g.Key]));
                Assert.All(back.Where(m => !allocations.ContainsKey(m.BatchId)), m => Assert.Equal("count", shortage?.ResolvedBy));
            }
        }
    }

    /// <summary>A walk-in sale as the consumer takes it: what is there, first-expiring first, the rest a shortage.</summary>
    private async Task SellAtCounterAsync(DateTimeOffset now, Guid cooperativeId, IReadOnlyList<StockLine> lines, ConcurrentQueue<CounterSale> open, ConcurrentBag<CounterSale> all)
    {
        var sale = new CounterSale(NewId.NextGuid(), lines.GroupBy(l => l.VariantId).Select(g => new StockLine(g.Key, g.Sum(l => l.Quantity))).ToList());
        await InBookAsync(now, (book, _) => book.TakeAtCounterAsync(sale.OrderId, cooperativeId, sale.Lines, "kasir", now, default));
        all.Add(sale);
        open.Enqueue(sale);
    }

    /// <summary>Some of a walk-in sale's goods come back over the counter (never more than were sold).</summary>
    private async Task ReturnAtCounterAsync(DateTimeOffset now, Guid cooperativeId, CounterSale sale, int quantity, ConcurrentQueue<CounterSale> open)
    {
        var line = sale.Lines.FirstOrDefault(l => l.Quantity > sale.Returned.GetValueOrDefault(l.VariantId));
        if (line is null)
        {
            return;
        }

        var back = Math.Min(quantity, line.Quantity - sale.Returned.GetValueOrDefault(line.VariantId));
        await InBookAsync(now, (book, _) => book.ReturnAtCounterAsync(sale.OrderId, cooperativeId, [new StockLine(line.VariantId, back)], "kasir", default));
        sale.Returned[line.VariantId] = sale.Returned.GetValueOrDefault(line.VariantId) + back;
        open.Enqueue(sale);
    }

    private sealed record CounterSale(Guid OrderId, IReadOnlyList<StockLine> Lines)
    {
        public ConcurrentDictionary<Guid, int> Returned { get; } = new();
    }

    /// <summary>Whether batch <paramref name="a"/> goes before <paramref name="b"/>: good before expired, sooner date first, undated last, older first.</summary>
    private static bool Sooner(StockBatch a, StockBatch b, DateOnly today)
    {
        var key = (StockBatch x) => (x.ExpiresOn < today ? 1 : 0, x.ExpiresOn ?? DateOnly.MaxValue);
        var (ka, kb) = (key(a), key(b));
        return ka.CompareTo(kb) < 0 || (ka == kb && a.ReceivedAt < b.ReceivedAt);
    }

    private sealed record HeldOrder(Guid OrderId, Guid CooperativeId, IReadOnlyList<StockReservationLine> Lines);

    /// <summary>A paid order as Orders and the consumers make one: held all or none, then taken first-expiring first.</summary>
    private async Task SellAsync(DateTimeOffset now, Guid cooperativeId, IReadOnlyList<StockLine> lines, ConcurrentQueue<Guid> sold)
    {
        var order = await HoldOnlyAsync(now, cooperativeId, lines);
        if (order is not null && await TakeHeldAsync(now, order))
        {
            sold.Enqueue(order.OrderId);
        }
    }

    /// <summary>An order held now and paid (or let go) in a later round, perhaps days later, when its batches may have expired.</summary>
    private async Task HoldAsync(DateTimeOffset now, Guid cooperativeId, IReadOnlyList<StockLine> lines, ConcurrentQueue<HeldOrder> held)
    {
        if (await HoldOnlyAsync(now, cooperativeId, lines) is { } order)
        {
            held.Enqueue(order);
        }
    }

    /// <summary>As the confirmation's consumer does: take the held goods, or, when some expired meanwhile, let the hold go.</summary>
    private async Task PayHeldAsync(DateTimeOffset now, HeldOrder order, ConcurrentQueue<Guid> sold, ConcurrentDictionary<string, int> done)
    {
        if (await TakeHeldAsync(now, order))
        {
            sold.Enqueue(order.OrderId);
        }
        else
        {
            done.AddOrUpdate("held, expired before paid", 1, (_, n) => n + 1);
        }
    }

    private async Task<HeldOrder?> HoldOnlyAsync(DateTimeOffset now, Guid cooperativeId, IReadOnlyList<StockLine> lines)
    {
        var order = new HeldOrder(NewId.NextGuid(), cooperativeId, []);
        await using var scope = catalog.Host.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var shortages = await new StockLedger(db, new FixedClock(now)).TryHoldAsync(cooperativeId, lines, null, default);
        if (shortages.Count > 0)
        {
            await transaction.RollbackAsync();
            return null;
        }

        await transaction.CommitAsync();
        return order with { Lines = lines.GroupBy(l => l.VariantId).Select(g => new StockReservationLine(order.OrderId, g.Key, g.Sum(l => l.Quantity))).ToList() };
    }

    private async Task<bool> TakeHeldAsync(DateTimeOffset now, HeldOrder order)
    {
        var taken = false;
        await InBookAsync(now, async (book, db) =>
        {
            var (_, shortages) = await book.TryTakeHeldAsync(order.OrderId, order.CooperativeId, order.Lines, default);
            if (shortages.Count > 0)
            {
                await new StockLedger(db, new FixedClock(now)).ReturnHeldAsync(order.Lines, default);
            }

            taken = shortages.Count == 0;
        });
        return taken;
    }

    /// <summary>Stock work in one transaction, on a clock set to the round's day.</summary>
    private async Task InBookAsync<T>(DateTimeOffset now, Func<StockBook, CatalogDbContext, Task<T>> work)
    {
        await using var scope = catalog.Host.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync();
        await work(new StockBook(db, scope.ServiceProvider.GetRequiredService<IOutbox>(), new FixedClock(now)), db);
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
    }

    private Task InBookAsync(DateTimeOffset now, Func<StockBook, CatalogDbContext, Task> work) => InBookAsync<bool>(now, async (book, db) =>
    {
        await work(book, db);
        return true;
    });

    private static async Task Count(ConcurrentDictionary<string, int> done, string what, Task operation)
    {
        await operation;
        done.AddOrUpdate(what, 1, (_, n) => n + 1);
    }

    private BatchExpirySweep Sweeper(DateTimeOffset now) => new(
        catalog.Host.GetRequired<IServiceScopeFactory>(), Options.Create(new BatchExpiryOptions()), new FixedClock(now), NullLogger<BatchExpirySweep>.Instance);

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now.ToUniversalTime();
    }
}
