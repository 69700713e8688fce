using Marketplace.Gateway.Security;

namespace Marketplace.IntegrationTests;

/// <summary>The Gateway's rate limits count in fixed windows per key, without a timer of their own.</summary>
public sealed class FixedWindowCountersTests
{
    private static readonly WindowLimit ThreePerMinute = new() { PermitLimit = 3, Window = TimeSpan.FromMinutes(1) };

    [Fact]
    public void A_key_gets_its_limit_per_window_and_is_told_when_the_window_ends()
    {
        var clock = new ManualClock();
        var counters = new FixedWindowCounters(clock);

        Assert.All(Enumerable.Range(0, 3), _ => Assert.Null(counters.TryCount("ip:10.0.0.1", ThreePerMinute)));
        clock.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(TimeSpan.FromSeconds(40), counters.TryCount("ip:10.0.0.1", ThreePerMinute));
        // Another key has a window of its own.
        Assert.Null(counters.TryCount("ip:10.0.0.2", ThreePerMinute));

        clock.Advance(TimeSpan.FromSeconds(40));
        Assert.Null(counters.TryCount("ip:10.0.0.1", ThreePerMinute));
    }

    [Fact]
    public void Windows_that_ended_are_forgotten_so_addresses_seen_once_do_not_pile_up()
    {
        var clock = new ManualClock();
        var counters = new FixedWindowCounters(clock);
        foreach (var address in Enumerable.Range(1, 100))
        {
            counters.TryCount($"ip:10.0.1.{address}", ThreePerMinute);
        }

        clock.Advance(TimeSpan.FromMinutes(2));
        counters.TryCount("ip:10.0.2.1", ThreePerMinute);

        Assert.Equal(1, counters.Count);
    }

    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
