using Marketplace.ServiceDefaults.Messaging;
using Marketplace.Testing;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Marketplace.ServiceDefaults.Tests;

public sealed class ConnectionPoolTests
{
    [Fact]
    public async Task A_burst_beyond_the_pool_waits_for_its_connections_and_every_transaction_commits()
    {
        // A stream of writers that opened a connection each made PostgreSQL slower than the stream: seconds of delay.
        var scope = await TestScope.CreateAsync();
        await using var host = await MessagingTestHost.StartAsync(scope, new DeliveryLog(), dispatcher: false, consumers: false);
        var burst = 3 * MessagingExtensions.DefaultMaxPoolSize;

        var backends = await Task.WhenAll(Enumerable.Range(0, burst).Select(i => host.InScopeAsync(async (db, _) =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            // Long enough that the whole burst is in flight at once.
            var backend = await db.Database.SqlQueryRaw<int>("SELECT pg_backend_pid() AS \"Value\" FROM pg_sleep(0.2)").SingleAsync();
            db.Counters.Add(new Counter { Name = $"burst-{i}", Value = i });
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
            return backend;
        })));

        Assert.InRange(backends.Distinct().Count(), 1, MessagingExtensions.DefaultMaxPoolSize);
        var committed = await host.InScopeAsync((db, _) => db.Counters.CountAsync(c => c.Name.StartsWith("burst-")));
        Assert.Equal(burst, committed);
    }

    [Fact]
    public async Task A_connection_string_that_sets_its_own_pool_size_keeps_it()
    {
        var scope = await TestScope.CreateAsync();
        await using (var byDefault = await MessagingTestHost.StartAsync(scope, new DeliveryLog(), dispatcher: false, consumers: false))
        {
            Assert.Equal(MessagingExtensions.DefaultMaxPoolSize, await MaxPoolSizeAsync(byDefault));
        }

        var settings = new Dictionary<string, string?> { ["ConnectionStrings:testdb"] = scope.Database("messaging") + ";Maximum Pool Size=35" };
        await using var configured = await MessagingTestHost.StartAsync(scope, new DeliveryLog(), dispatcher: false, consumers: false, settings);
        Assert.Equal(35, await MaxPoolSizeAsync(configured));
    }

    private static Task<int> MaxPoolSizeAsync(MessagingTestHost host) =>
        host.InScopeAsync((db, _) => Task.FromResult(new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString()).MaxPoolSize));
}
