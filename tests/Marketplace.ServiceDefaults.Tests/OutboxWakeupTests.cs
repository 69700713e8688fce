using Marketplace.ServiceDefaults.Data;
using Marketplace.ServiceDefaults.Messaging;
using Marketplace.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Marketplace.ServiceDefaults.Tests;

/// <summary>The dispatcher wakes for commits that carry messages, and otherwise rests until its next poll.</summary>
public sealed class OutboxWakeupTests
{
    [Fact]
    public async Task An_idle_dispatcher_looks_once_per_poll_interval_and_does_not_wake_itself()
    {
        var scope = await TestScope.CreateAsync();
        var log = new DeliveryLog();
        await using var host = await MessagingTestHost.StartAsync(scope, log, settings: new Dictionary<string, string?>
        {
            ["Messaging:Outbox:PollInterval"] = "00:00:01",
        });
        var dispatcher = DispatcherOf(host);

        var messageId = await host.InScopeAsync(async (db, outbox) =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            var id = outbox.Publish(new Ping("idle", 1));
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
            return id;
        });
        await Eventually.TrueAsync(() => Task.FromResult(log.Pings.Any(p => p.MessageId == messageId)), because: "the ping to arrive");

        // Its own empty claims commit too: were those to wake it, it would look thousands of times here.
        var before = dispatcher.Claims;
        await Task.Delay(TimeSpan.FromSeconds(4));
        var claims = dispatcher.Claims - before;

        Assert.InRange(claims, 1, 6);
    }

    [Fact]
    public async Task A_commit_with_messages_wakes_the_dispatcher_long_before_its_next_poll()
    {
        var scope = await TestScope.CreateAsync();
        var log = new DeliveryLog();
        await using var host = await MessagingTestHost.StartAsync(scope, log, settings: new Dictionary<string, string?>
        {
            ["Messaging:Outbox:PollInterval"] = "00:10:00",
        });

        // One message saved without a transaction of its own, one in an explicit transaction: both wake it.
        var saved = await host.InScopeAsync(async (db, outbox) =>
        {
            var id = outbox.Publish(new Ping("wake", 1));
            await db.SaveChangesAsync();
            return id;
        });
        await Eventually.TrueAsync(() => Task.FromResult(log.Pings.Any(p => p.MessageId == saved)), because: "the saved ping to arrive");

        var committed = await host.InScopeAsync(async (db, outbox) =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            var id = outbox.Publish(new Ping("wake", 2));
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
            return id;
        });
        await Eventually.TrueAsync(() => Task.FromResult(log.Pings.Any(p => p.MessageId == committed)), because: "the committed ping to arrive");
    }

    [Fact]
    public async Task One_commit_wakes_the_dispatchers_of_other_replicas_and_each_message_is_still_delivered_once_in_order()
    {
        var scope = await TestScope.CreateAsync();
        var log = new DeliveryLog();
        // Polls so far apart that only a notification can wake a dispatcher within the test.
        var resting = new Dictionary<string, string?> { ["Messaging:Outbox:PollInterval"] = "00:10:00" };
        await using var writer = await MessagingTestHost.StartAsync(scope, log, dispatcher: false, settings: resting);
        await using var first = await MessagingTestHost.StartAsync(scope, log, consumers: false, settings: resting);
        await using var second = await MessagingTestHost.StartAsync(scope, log, consumers: false, settings: resting);
        await Eventually.TrueAsync(() => Task.FromResult(ListenerOf(first).Listening && ListenerOf(second).Listening), because: "both replicas to listen");
        var notifiedBefore = (First: ListenerOf(first).Notifications, Second: ListenerOf(second).Notifications);

        // Written by a replica with no dispatcher of its own: its commit reaches the others only through PostgreSQL.
        string[] keys = ["kiosk-1", "kiosk-2", "kiosk-3"];
        var written = await writer.InScopeAsync(async (db, outbox) =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            var ids = new List<Guid>();
            for (var sequence = 1; sequence <= 10; sequence++)
            {
                ids.AddRange(keys.Select(key => outbox.Publish(new Ping(key, sequence), orderingKey: key)));
            }

            await db.SaveChangesAsync();
            await transaction.CommitAsync();
            return ids;
        });

        await Eventually.TrueAsync(() => Task.FromResult(written.All(id => log.Pings.Any(p => p.MessageId == id))), because: "every ping to arrive");
        Assert.True(ListenerOf(first).Notifications > notifiedBefore.First, "the first replica was not notified");
        Assert.True(ListenerOf(second).Notifications > notifiedBefore.Second, "the second replica was not notified");
        var received = log.Pings.ToList();
        Assert.Equal(written.Count, received.Count);
        Assert.Equal(written.Count, received.Select(p => p.MessageId).Distinct().Count());
        foreach (var key in keys)
        {
            Assert.Equal(Enumerable.Range(1, 10), received.Where(p => p.Message.Key == key).Select(p => p.Message.Sequence));
        }
    }

    private static PostgresNotificationListener<MessagingTestDbContext> ListenerOf(MessagingTestHost host) =>
        host.Services.GetServices<IHostedService>().OfType<PostgresNotificationListener<MessagingTestDbContext>>().Single();

    private static OutboxDispatcher<MessagingTestDbContext> DispatcherOf(MessagingTestHost host) =>
        host.Services.GetServices<IHostedService>().OfType<OutboxDispatcher<MessagingTestDbContext>>().Single();
}
