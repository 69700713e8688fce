using MassTransit;
using Marketplace.ServiceDefaults.Messaging;
using Marketplace.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.ServiceDefaults.Tests;

public sealed class RedeliveryTests
{
    [Fact]
    public async Task A_failing_consumer_is_retried_then_redelivered_later_and_then_succeeds()
    {
        var scope = await TestScope.CreateAsync();
        var log = new DeliveryLog();
        await using var host = await MessagingTestHost.StartAsync(scope, log);

        // One retry in place (two attempts), then a delayed redelivery for the third and fourth.
        await host.Services.GetRequiredService<IBus>().Publish(new Flaky("packing", FailTimes: 3));

        await Eventually.TrueAsync(() => Task.FromResult(log.FlakySucceeded.ContainsKey("packing")), because: "the redelivered message to succeed");
        Assert.Equal(4, log.FlakyAttempts["packing"]);
        var redeliveries = await host.InScopeAsync((db, _) => db.Set<OutboxMessage>().CountAsync(m => m.DestinationAddress != null && m.RedeliveryCount == 1));
        Assert.Equal(1, redeliveries);
        Assert.Equal(0, await scope.QueueDepthAsync("flaky_error"));
    }

    [Fact]
    public async Task A_message_that_never_succeeds_ends_in_the_error_queue()
    {
        var scope = await TestScope.CreateAsync();
        var log = new DeliveryLog();
        await using var host = await MessagingTestHost.StartAsync(scope, log);

        await host.Services.GetRequiredService<IBus>().Publish(new Flaky("broken", FailTimes: int.MaxValue));

        await Eventually.TrueAsync(async () => await scope.QueueDepthAsync("flaky_error") == 1, because: "the message to land in flaky_error");
        // Two attempts on first delivery, two more after the one redelivery.
        Assert.Equal(4, log.FlakyAttempts["broken"]);
        Assert.False(log.FlakySucceeded.ContainsKey("broken"));
    }
}
