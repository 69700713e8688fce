using System.Collections.Concurrent;
using MassTransit;
using Marketplace.Catalog.Data;
using Marketplace.Catalog.Stock;
using Marketplace.Contracts.Orders;
using Marketplace.ServiceDefaults.Formatting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace Marketplace.Catalog.Tests;

/// <summary>
/// Hundreds of receipts, paid sales, cancellations, counter sales (some beyond stock), counter returns, counts and expiry
/// sweeps, ten at a time on separate contexts; then every size's on hand is the sum of its card and of its batches, no
/// batch and no on hand went below zero, every sale and count took the batch that expires first, every counter sale's
/// shortage is exactly what it could not take, and every return went back where its sale came from.
/// </summary>
public sealed class StockCardRandomizedTests(CatalogHost catalog, ITestOutputHelper output) : IClassFixture<CatalogHost>
{
    private const int Rounds = 35;
    private const int OperationsPerRound = 10;

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

        var today = LocalTime.Today(DateTimeOffset.UtcNow, Cooperatives.Cooperative.DefaultTimeZone);
        var sold = new ConcurrentQueue<Guid>();
        var counterSales = new ConcurrentQueue<CounterSale>();
        var allCounterSales = new ConcurrentBag<CounterSale>();
        var done = new ConcurrentDictionary<string, int>();
        for (var round = 0; round < Rounds; round++)
        {
            var operations = new List<Func<Task>>();
            for (var i = 0; i < OperationsPerRound; i++)
            {
                var roll = random.Next(100);
                var variant = variants[random.Next(variants.Count)];
                var quantity = random.Next(1, 8);
                int? days = random.Next(10) switch { 0 => null, 1 => -random.Next(1, 4), _ => random.Next(1, 90) };
                long? cost = random.Next(10) == 0 ? null : random.Next(1, 40) * 500;
                var counted = random.Next(0, 25);
                var pair = variants.OrderBy(_ => random.Next()).Take(random.Next(1, 3)).Select(v => new StockLine(v, random.Next(1, 5))).ToList();
                operations.Add(roll switch
                {
                    < 30 => () => Count(done, "received", InBookAsync(async (book, _) =>
                        await book.ReceiveAsync((await book.LockAsync(variant, default))!, quantity * 3, MovementKinds.Received,
                            new BatchDates(null, days is { } d ? today.AddDays(d) : null, cost), "test", null, null, default))),
                    < 50 => () => Count(done, "sold", SellAsync(cooperative.Id, pair, sold)),
                    < 60 => () => Count(done, "sold at counter", SellAtCounterAsync(cooperative.Id, pair.Select(l => l with { Quantity = l.Quantity * 2 }).ToList(), counterSales, allCounterSales)),
                    < 68 => () => counterSales.TryDequeue(out var sale)
                        ? Count(done, "returned at counter", ReturnAtCounterAsync(cooperative.Id, sale, random.Next(1, 4), counterSales))
                        : Task.CompletedTask,
                    < 77 => () => sold.TryDequeue(out var order)
                        ? Count(done, "restocked", InBookAsync((book, _) => book.RestockAsync(order, default)))
                        : Task.CompletedTask,
                    < 92 => () => Count(done, "counted", InBookAsync(async (book, _) =>
                    {
                        // As the count's endpoint does: the count settles the size's open shortages.
                        await book.SetOnHandAsync((await book.LockAsync(variant, default))!, counted, MovementKinds.Counted, "test", "opname", default);
                        await book.ResolveShortagesByCountAsync([variant], default);
                    })),
                    _ => () => Count(done, "swept", Sweeper(DateTimeOffset.UtcNow).SweepAsync(default)),
                });
            }

            await Task.WhenAll(operations.Select(operation => Task.Run(operation)));
        }

        await Sweeper(DateTimeOffset.UtcNow).SweepAsync(default);
        output.WriteLine(string.Join(", ", done.Select(d => $"{d.Key} {d.Value}")));
        Assert.True(done.GetValueOrDefault("sold") > 20 && done.GetValueOrDefault("restocked") > 5 && done.GetValueOrDefault("counted") > 10
                    && done.GetValueOrDefault("sold at counter") > 15 && done.GetValueOrDefault("returned at counter") > 5,
            "the mix was too thin to prove anything");

        await using var scope = catalog.Host.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        Assert.Empty(await scope.ServiceProvider.GetRequiredService<StockBook>().MismatchesAsync(default));
        var batches = await db.StockBatches.AsNoTracking().Where(b => variants.Contains(b.VariantId)).ToDictionaryAsync(b => b.Id);
        Assert.All(batches.Values, b => Assert.InRange(b.Remaining, 0, b.QuantityReceived));
        // Nothing past its date is left on the shelf (no order holds anything now).
        Assert.DoesNotContain(batches.Values, b => b.ExpiresOn < today && b.Remaining > 0);
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
                var taking = movement.Quantity < 0 && movement.Kind is MovementKinds.SoldOnline or MovementKinds.SoldAtCounter or MovementKinds.Counted;
                if (taking)
                {
                    var taken = batches[movement.BatchId];
                    var earlier = remaining.Where(r => r.Value > 0 && r.Key != taken.Id && Sooner(batches[r.Key], taken, today)).Select(r => r.Key).ToList();
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
    private async Task SellAtCounterAsync(Guid cooperativeId, IReadOnlyList<StockLine> lines, ConcurrentQueue<CounterSale> open, ConcurrentBag<CounterSale> all)
    {
        var sale = new CounterSale(NewId.NextGuid(), lines.GroupBy(l => l.VariantId).Select(g => new StockLine(g.Key, g.Sum(l => l.Quantity))).ToList());
        await InBookAsync((book, _) => book.TakeAtCounterAsync(sale.OrderId, cooperativeId, sale.Lines, "kasir", DateTimeOffset.UtcNow, default));
        all.Add(sale);
        open.Enqueue(sale);
    }

    /// <summary>Some of a walk-in sale's goods come back over the counter (never more than were sold).</summary>
    private async Task ReturnAtCounterAsync(Guid cooperativeId, CounterSale sale, int quantity, ConcurrentQueue<CounterSale> open)
    {
        var line = sale.Lines.FirstOrDefault(l => l.Quantity > sale.Returned.GetValueOrDefault(l.VariantId));
        if (line is null)
        {
            return;
        }

        var back = Math.Min(quantity, line.Quantity - sale.Returned.GetValueOrDefault(line.VariantId));
        await InBookAsync((book, _) => book.ReturnAtCounterAsync(sale.OrderId, cooperativeId, [new StockLine(line.VariantId, back)], "kasir", default));
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

    /// <summary>A paid order as Orders and the consumers make one: held all or none, then taken first-expiring first.</summary>
    private async Task SellAsync(Guid cooperativeId, IReadOnlyList<StockLine> lines, ConcurrentQueue<Guid> sold)
    {
        var order = NewId.NextGuid();
        await using var scope = catalog.Host.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var shortages = await scope.ServiceProvider.GetRequiredService<StockLedger>().TryHoldAsync(cooperativeId, lines, null, default);
        if (shortages.Count > 0)
        {
            await transaction.RollbackAsync();
            return;
        }

        await scope.ServiceProvider.GetRequiredService<StockBook>().TakeHeldAsync(
            order, lines.GroupBy(l => l.VariantId).Select(g => new StockReservationLine(order, g.Key, g.Sum(l => l.Quantity))), default);
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        sold.Enqueue(order);
    }

    private async Task InBookAsync<T>(Func<StockBook, CatalogDbContext, Task<T>> work)
    {
        await using var scope = catalog.Host.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync();
        await work(scope.ServiceProvider.GetRequiredService<StockBook>(), db);
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
    }

    private Task InBookAsync(Func<StockBook, CatalogDbContext, Task> work) => InBookAsync<bool>(async (book, db) =>
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
