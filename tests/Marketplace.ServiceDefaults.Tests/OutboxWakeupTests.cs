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

    [Fact]
    public async Task A_replica_that_dispatches_its_own_commits_wakes_no_other_until_it_finds_a_backlog()
    {
        var scope = await TestScope.CreateAsync();
        var log = new DeliveryLog();
        var resting = new Dictionary<string, string?> { ["Messaging:Outbox:PollInterval"] = "00:10:00" };
        await using var first = await MessagingTestHost.StartAsync(scope, log, settings: new Dictionary<string, string?>(resting)
        {
            ["Messaging:Outbox:BatchSize"] = "5",
        });
        await using var second = await MessagingTestHost.StartAsync(scope, log, consumers: false, settings: resting);
        await using var withoutDispatcher = await MessagingTestHost.StartAsync(scope, log, dispatcher: false, consumers: false, settings: resting);
        await Eventually.TrueAsync(() => Task.FromResult(ListenerOf(first).Listening && ListenerOf(second).Listening), because: "both replicas to listen");
        var notifiedBefore = ListenerOf(second).Notifications;

        // Three commits on the replica that dispatches: its own dispatcher delivers them, woken in-process.
        var own = new List<Guid>();
        for (var sequence = 1; sequence <= 3; sequence++)
        {
            own.Add(await first.InScopeAsync(async (db, outbox) =>
            {
                var id = outbox.Publish(new Ping("own", sequence));
                await db.SaveChangesAsync();
                return id;
            }));
        }

        await Eventually.TrueAsync(() => Task.FromResult(own.All(id => log.Pings.Any(p => p.MessageId == id))), because: "the replica's own pings to arrive");

        // Then a commit from a replica without a dispatcher, which does notify. Notifications arrive in the order of
        // their commits: once this one has reached the second replica, any of the three before it would have too.
        var marker = await withoutDispatcher.InScopeAsync(async (db, outbox) =>
        {
            var id = outbox.Publish(new Ping("marker", 1));
            await db.SaveChangesAsync();
            return id;
        });
        await Eventually.TrueAsync(() => Task.FromResult(ListenerOf(second).Notifications > notifiedBefore), because: "the marker's notification");
        await Eventually.TrueAsync(() => Task.FromResult(log.Pings.Any(p => p.MessageId == marker)), because: "the marker to arrive");
        Assert.Equal(notifiedBefore + 1, ListenerOf(second).Notifications);
        Assert.Equal(0, DispatcherOf(first).CallsForHelp);

        // Twenty messages in one commit are more than one batch of five: the dispatcher calls the others to help, and
        // each message is still delivered once, in order per key.
        var notifiedBeforeBacklog = ListenerOf(second).Notifications;
        var keys = Enumerable.Range(1, 10).Select(k => $"backlog-{k}").ToArray();
        var backlog = await first.InScopeAsync(async (db, outbox) =>
        {
            var ids = new List<Guid>();
            for (var sequence = 1; sequence <= 2; sequence++)
            {
                ids.AddRange(keys.Select(key => outbox.Publish(new Ping(key, sequence), orderingKey: key)));
            }

            await db.SaveChangesAsync();
            return ids;
        });

        await Eventually.TrueAsync(() => Task.FromResult(backlog.All(id => log.Pings.Any(p => p.MessageId == id))), because: "the backlog to arrive");
        Assert.True(DispatcherOf(first).CallsForHelp > 0, "the dispatcher did not call for help with a backlog");
        await Eventually.TrueAsync(() => Task.FromResult(ListenerOf(second).Notifications > notifiedBeforeBacklog), because: "the call for help to reach the second replica");
        var received = log.Pings.Where(p => p.Message.Key.StartsWith("backlog-", StringComparison.Ordinal)).ToList();
        Assert.Equal(backlog.Count, received.Count);
        Assert.Equal(backlog.Count, received.Select(p => p.MessageId).Distinct().Count());
        foreach (var key in keys)
        {
            Assert.Equal([1, 2], received.Where(p => p.Message.Key == key).Select(p => p.Message.Sequence));
        }
    }

    [Fact]
    public async Task A_replica_does_not_wake_itself_with_its_own_call_for_help_but_wakes_for_anyone_else()
    {
        var scope = await TestScope.CreateAsync();
        await using var host = await MessagingTestHost.StartAsync(scope, new DeliveryLog(), consumers: false, settings: new Dictionary<string, string?>
        {
            ["Messaging:Outbox:PollInterval"] = "00:10:00",
        });
        await Eventually.TrueAsync(() => Task.FromResult(ListenerOf(host).Listening), because: "the replica to listen");
        var dispatcher = DispatcherOf(host);
        var ownCall = host.Services.GetRequiredService<OutboxSignals>().For<MessagingTestDbContext>().CallForHelpPayload;
        await Eventually.TrueAsync(() => Task.FromResult(dispatcher.Claims > 0), because: "the first look after listening");
        await Task.Delay(TimeSpan.FromMilliseconds(500)); // the start's and the listening's looks are over

        // Its own call for help, as a dispatcher that found a backlog sends it: heard, and no claim follows.
        var claimsBefore = dispatcher.Claims;
        var notifiedBefore = ListenerOf(host).Notifications;
        await NotifyAsync(host, ownCall);
        await Eventually.TrueAsync(() => Task.FromResult(ListenerOf(host).Notifications > notifiedBefore), because: "its own call to be heard");
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.Equal(claimsBefore, dispatcher.Claims);

        // Another replica's call, or a commit's notification (no payload): it looks.
        await NotifyAsync(host, "another-replica");
        await Eventually.TrueAsync(() => Task.FromResult(dispatcher.Claims > claimsBefore), because: "another replica's call to wake it");
        var afterOthers = dispatcher.Claims;
        await NotifyAsync(host, string.Empty);
        await Eventually.TrueAsync(() => Task.FromResult(dispatcher.Claims > afterOthers), because: "a commit's notification to wake it");
    }

    private static Task<int> NotifyAsync(MessagingTestHost host, string payload) =>
        host.InScopeAsync((db, _) => db.Database.ExecuteSqlRawAsync("SELECT pg_notify({0}, {1})", [OutboxNotifications.Channel("messaging_test"), payload]));

    private static PostgresNotificationListener<MessagingTestDbContext> ListenerOf(MessagingTestHost host) =>
        host.Services.GetServices<IHostedService>().OfType<PostgresNotificationListener<MessagingTestDbContext>>().Single();

    private static OutboxDispatcher<MessagingTestDbContext> DispatcherOf(MessagingTestHost host) =>
        host.Services.GetServices<IHostedService>().OfType<OutboxDispatcher<MessagingTestDbContext>>().Single();
}
