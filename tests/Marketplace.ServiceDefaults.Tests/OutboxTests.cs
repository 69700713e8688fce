using Marketplace.ServiceDefaults.Messaging;
using Marketplace.Testing;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.ServiceDefaults.Tests;

public sealed class OutboxTests
{
    [Fact]
    public async Task A_change_and_its_message_commit_together_and_the_message_is_delivered()
    {
        var scope = await TestScope.CreateAsync();
        var log = new DeliveryLog();
        await using var host = await MessagingTestHost.StartAsync(scope, log);

        var messageId = await host.InScopeAsync(async (db, outbox) =>
        {
            db.Counters.Add(new Counter { Name = "stock", Value = 5 });
            var id = outbox.Publish(new Ping("k", 1));
            await db.SaveChangesAsync();
            return id;
        });

        await Eventually.TrueAsync(() => Task.FromResult(log.Pings.Any(p => p.MessageId == messageId)), because: "the ping to arrive");
        var (counter, dispatched) = await host.InScopeAsync(async (db, _) => (
            await db.Counters.SingleAsync(c => c.Name == "stock"),
            await db.Set<OutboxMessage>().Where(m => m.MessageId == messageId).Select(m => m.DispatchedAt).SingleAsync()));
        Assert.Equal(5, counter.Value);
        Assert.NotNull(dispatched);
    }

    [Fact]
    public async Task A_rolled_back_change_leaves_no_message_to_publish()
    {
        var scope = await TestScope.CreateAsync();
        await using var host = await MessagingTestHost.StartAsync(scope, new DeliveryLog(), dispatcher: false, consumers: false);

        var messageId = await host.InScopeAsync(async (db, outbox) =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.Counters.Add(new Counter { Name = "never", Value = 1 });
            var id = outbox.Publish(new Ping("k", 1));
            await db.SaveChangesAsync();
            await transaction.RollbackAsync();
            return id;
        });

        var rows = await host.InScopeAsync((db, _) => db.Set<OutboxMessage>().CountAsync(m => m.MessageId == messageId));
        var counters = await host.InScopeAsync((db, _) => db.Counters.CountAsync(c => c.Name == "never"));
        Assert.Equal(0, rows);
        Assert.Equal(0, counters);
    }

    [Fact]
    public async Task Two_dispatchers_over_the_same_outbox_deliver_each_message_once()
    {
        var scope = await TestScope.CreateAsync();
        var log = new DeliveryLog();
        await using var consumer = await MessagingTestHost.StartAsync(scope, log, dispatcher: false);
        await using var first = await MessagingTestHost.StartAsync(scope, log, consumers: false);
        await using var second = await MessagingTestHost.StartAsync(scope, log, consumers: false);

        const int count = 300;
        var published = new List<Guid>();
        // Written from both replicas, in many small transactions, while both dispatch.
        for (var batch = 0; batch < count / 10; batch++)
        {
            var writer = batch % 2 == 0 ? first : second;
            var ids = await writer.InScopeAsync(async (db, outbox) =>
            {
                var ids = Enumerable.Range(0, 10).Select(i => outbox.Publish(new Ping($"key-{i}", batch))).ToList();
                await db.SaveChangesAsync();
                return ids;
            });
            published.AddRange(ids);
        }

        await Eventually.TrueAsync(
            () => first.InScopeAsync(async (db, _) => !await db.Set<OutboxMessage>().AnyAsync(m => m.DispatchedAt == null)),
            because: "every outbox row to be marked delivered");
        // Once every row is marked delivered nothing can publish again; wait for the queue to drain.
        await Eventually.TrueAsync(async () => log.Pings.Count >= count && await scope.QueueDepthAsync("ping-recorder") == 0,
            because: "the consumer to drain its queue");

        var deliveries = log.Pings.GroupBy(p => p.MessageId).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(count, deliveries.Count);
        Assert.All(published, id => Assert.Equal(1, deliveries[id]));
    }

    [Fact]
    public async Task Messages_with_the_same_ordering_key_arrive_in_the_order_they_were_published()
    {
        var scope = await TestScope.CreateAsync();
        var log = new DeliveryLog();
        await using var consumer = await MessagingTestHost.StartAsync(scope, log, dispatcher: false);
        await using var first = await MessagingTestHost.StartAsync(scope, log, consumers: false);
        await using var second = await MessagingTestHost.StartAsync(scope, log, consumers: false);

        const int perKey = 40;
        string[] keys = ["cooperative-a", "cooperative-b", "cooperative-c"];
        for (var sequence = 1; sequence <= perKey; sequence++)
        {
            var writer = sequence % 2 == 0 ? first : second;
            var current = sequence;
            await writer.InScopeAsync(async (db, outbox) =>
            {
                foreach (var key in keys)
                {
                    outbox.Publish(new Ping(key, current), orderingKey: key);
                }

                return await db.SaveChangesAsync();
            });
        }

        await Eventually.TrueAsync(() => Task.FromResult(log.Pings.Count >= perKey * keys.Length), because: "every ping");
        foreach (var key in keys)
        {
            var received = log.Pings.Where(p => p.Message.Key == key).Select(p => p.Message.Sequence).ToList();
            Assert.Equal(Enumerable.Range(1, perKey), received);
        }
    }
}
