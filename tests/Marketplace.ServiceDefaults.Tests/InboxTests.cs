using MassTransit;
using Marketplace.ServiceDefaults.Messaging;
using Marketplace.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.ServiceDefaults.Tests;

public sealed class InboxTests
{
    [Fact]
    public async Task A_message_delivered_several_times_changes_the_state_once()
    {
        var scope = await TestScope.CreateAsync();
        await using var host = await MessagingTestHost.StartAsync(scope, new DeliveryLog());
        var bus = host.Services.GetRequiredService<IBus>();

        // The broker redelivers with the same message id: publish one id five times, concurrently.
        var messageId = NewId.NextGuid();
        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ =>
            bus.Publish(new CounterIncremented("sales", 7), ctx => ctx.MessageId = messageId)));
        // A different message for the same counter must still count.
        await bus.Publish(new CounterIncremented("sales", 1));

        await Eventually.TrueAsync(
            () => host.InScopeAsync(async (db, _) => await db.Set<InboxMessage>().CountAsync() == 2),
            because: "both distinct messages to be handled");
        await Eventually.TrueAsync(async () => await scope.QueueDepthAsync("counter") == 0, because: "the duplicates to be consumed");

        var counter = await host.InScopeAsync((db, _) => db.Counters.SingleAsync(c => c.Name == "sales"));
        var inbox = await host.InScopeAsync((db, _) => db.Set<InboxMessage>().CountAsync(m => m.MessageId == messageId));
        Assert.Equal(8, counter.Value);
        Assert.Equal(1, inbox);
    }
}
