using System.Collections.Concurrent;
using MassTransit;
using Marketplace.ServiceDefaults.Messaging;
using Marketplace.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Marketplace.ServiceDefaults.Tests;

public sealed record Ping(string Key, int Sequence);

public sealed record CounterIncremented(string Counter, int Amount);

public sealed record Flaky(string Name, int FailTimes);

public sealed class Counter
{
    public string Name { get; set; } = string.Empty;

    public int Value { get; set; }
}

public sealed class MessagingTestDbContext(DbContextOptions<MessagingTestDbContext> options) : DbContext(options)
{
    public DbSet<Counter> Counters => Set<Counter>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema("messaging_test");
        modelBuilder.Entity<Counter>().HasKey(c => c.Name);
        modelBuilder.AddOutboxAndInbox();
    }
}

/// <summary>What the consumers of one test saw, shared by all the hosts of that test.</summary>
public sealed class DeliveryLog
{
    public ConcurrentQueue<(Guid MessageId, Ping Message)> Pings { get; } = new();

    public ConcurrentDictionary<string, int> FlakyAttempts { get; } = new();

    public ConcurrentDictionary<string, bool> FlakySucceeded { get; } = new();
}

/// <summary>Records every delivery as it comes, duplicates included: it is deliberately not idempotent.</summary>
public sealed class PingRecorder(DeliveryLog log) : IConsumer<Ping>
{
    public Task Consume(ConsumeContext<Ping> context)
    {
        log.Pings.Enqueue((context.MessageId!.Value, context.Message));
        return Task.CompletedTask;
    }
}

public sealed class CounterConsumer(MessagingTestDbContext db)
    : IdempotentConsumer<CounterIncremented, MessagingTestDbContext>(db)
{
    protected override async Task HandleAsync(CounterIncremented message, ConsumeContext<CounterIncremented> context, CancellationToken cancellationToken)
    {
        var counter = await Db.Counters.FindAsync([message.Counter], cancellationToken);
        if (counter is null)
        {
            counter = new Counter { Name = message.Counter };
            Db.Counters.Add(counter);
        }

        counter.Value += message.Amount;
    }
}

public sealed class FlakyConsumer(DeliveryLog log) : IConsumer<Flaky>
{
    public Task Consume(ConsumeContext<Flaky> context)
    {
        var attempt = log.FlakyAttempts.AddOrUpdate(context.Message.Name, 1, (_, n) => n + 1);
        if (attempt <= context.Message.FailTimes)
        {
            throw new InvalidOperationException($"Failing on purpose, attempt {attempt}.");
        }

        log.FlakySucceeded[context.Message.Name] = true;
        return Task.CompletedTask;
    }
}

/// <summary>A bare service: the test DbContext with the outbox, inbox and MassTransit wiring every service uses.</summary>
public sealed class MessagingTestHost : IAsyncDisposable
{
    private MessagingTestHost(IHost host) => Host = host;

    public IHost Host { get; }

    public IServiceProvider Services => Host.Services;

    public static async Task<MessagingTestHost> StartAsync(
        TestScope scope,
        DeliveryLog log,
        bool dispatcher = true,
        bool consumers = true,
        IDictionary<string, string?>? settings = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:testdb"] = scope.Database("messaging"),
            ["ConnectionStrings:rabbitmq"] = scope.RabbitMqConnectionString,
            ["Messaging:Outbox:PollInterval"] = "00:00:00.100",
            ["Messaging:Outbox:MaxRetryDelay"] = "00:00:00.500",
            ["Messaging:Outbox:DispatcherEnabled"] = dispatcher.ToString(),
            ["Messaging:Retry:RetryIntervals:0"] = "00:00:00.020",
            ["Messaging:Retry:RedeliveryDelays:0"] = "00:00:00.300",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Error",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.Services.AddSingleton(log);
        builder.AddServiceDbContext<MessagingTestDbContext>("testdb", "messaging_test");
        builder.AddMessaging<MessagingTestDbContext>(bus =>
        {
            if (consumers)
            {
                // One at a time, so the order of consumption is the order of delivery.
                bus.AddConsumer<PingRecorder>().Endpoint(e => e.ConcurrentMessageLimit = 1);
                bus.AddConsumer<CounterConsumer>();
                bus.AddConsumer<FlakyConsumer>();
            }
        });

        var host = builder.Build();
        await using (var initScope = host.Services.CreateAsyncScope())
        {
            var db = initScope.ServiceProvider.GetRequiredService<MessagingTestDbContext>();
            await CreateSchemaOnceAsync(db);
        }

        await host.StartAsync();
        var bus = host.Services.GetRequiredService<IBusControl>();
        await bus.WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30));
        return new MessagingTestHost(host);
    }

    private static readonly SemaphoreSlim SchemaGate = new(1, 1);

    private static async Task CreateSchemaOnceAsync(DbContext db)
    {
        // Two hosts of one test share a database: create it once.
        await SchemaGate.WaitAsync();
        try
        {
            if (await db.Database.EnsureCreatedAsync())
            {
                // What each service's migration installs: the outbox table's notifications.
                await db.Database.ExecuteSqlRawAsync(OutboxNotifications.InstallSql("messaging_test"));
            }
        }
        finally
        {
            SchemaGate.Release();
        }
    }

    public async Task<T> InScopeAsync<T>(Func<MessagingTestDbContext, IOutbox, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<MessagingTestDbContext>(), scope.ServiceProvider.GetRequiredService<IOutbox>());
    }

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync();
        Host.Dispose();
    }
}
