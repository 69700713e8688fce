using System.Diagnostics;
using MassTransit;
using Marketplace.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Marketplace.Messaging.Benchmarks;

/// <summary>
/// The message both paths carry: about the size of the services' own events (an aggregate id and a few fields).
/// <paramref name="DueTimestamp"/> is this process's <see cref="Stopwatch"/> timestamp of when it was due.
/// </summary>
public sealed record BenchmarkMessage(int Run, int Index, long DueTimestamp, Guid OrderId, DateTimeOffset OccurredAt);

/// <summary>One consumer for both paths; it only notes the arrival (deliberately not idempotent: duplicates are counted).</summary>
public sealed class BenchmarkConsumer(Deliveries deliveries) : IConsumer<BenchmarkMessage>
{
    public Task Consume(ConsumeContext<BenchmarkMessage> context)
    {
        deliveries.Received(context.Message, context.MessageId ?? Guid.Empty, Stopwatch.GetTimestamp());
        return Task.CompletedTask;
    }
}

/// <summary>A service's context reduced to what the outbox needs.</summary>
public sealed class BenchmarkDbContext(DbContextOptions<BenchmarkDbContext> options) : DbContext(options)
{
    public const string Schema = "messaging_bench";

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.AddOutboxAndInbox();
    }
}

/// <summary>One measured phase's messages, indexed by <see cref="BenchmarkMessage.Index"/>; times are Stopwatch timestamps.</summary>
public sealed class Run(int id, int capacity)
{
    private int _issued;
    private int _consumed;
    private int _duplicates;
    private long _lastConsumedAt;

    public int Id { get; } = id;

    public int Capacity { get; } = capacity;

    public long[] DueAt { get; } = new long[capacity];

    /// <summary>When the publish was confirmed (bus-only) or the outbox row committed (outbox).</summary>
    public long[] WrittenAt { get; } = new long[capacity];

    public long[] ConsumedAt { get; } = new long[capacity];

    public Guid[] MessageIds { get; } = new Guid[capacity];

    /// <summary>Called once for each message consumed the first time (a closed loop's senders wait for room on it).</summary>
    public Action? OnConsumed { get; set; }

    /// <summary>The next index to send, or -1 when the run is full.</summary>
    public int Next()
    {
        var index = Interlocked.Increment(ref _issued) - 1;
        return index < Capacity ? index : -1;
    }

    public int Issued => Math.Min(Volatile.Read(ref _issued), Capacity);

    public int Consumed => Volatile.Read(ref _consumed);

    public int Duplicates => Volatile.Read(ref _duplicates);

    public long LastConsumedAt => Interlocked.Read(ref _lastConsumedAt);

    public void Received(int index, Guid messageId, long at)
    {
        if (index < 0 || index >= Capacity || Interlocked.CompareExchange(ref ConsumedAt[index], at, 0) != 0)
        {
            Interlocked.Increment(ref _duplicates);
            return;
        }

        MessageIds[index] = messageId;
        Interlocked.Increment(ref _consumed);
        OnConsumed?.Invoke();
        long last;
        while ((last = Interlocked.Read(ref _lastConsumedAt)) < at && Interlocked.CompareExchange(ref _lastConsumedAt, at, last) != last)
        {
        }
    }
}

/// <summary>Routes each arrival to the run it belongs to; late arrivals of an earlier run are counted apart.</summary>
public sealed class Deliveries
{
    private int _runs;
    private int _strays;
    private Run? _current;

    public int Strays => Volatile.Read(ref _strays);

    public Run Begin(int capacity)
    {
        var run = new Run(Interlocked.Increment(ref _runs), capacity);
        Volatile.Write(ref _current, run);
        return run;
    }

    public void Received(BenchmarkMessage message, Guid messageId, long at)
    {
        var run = Volatile.Read(ref _current);
        if (run is null || run.Id != message.Run)
        {
            Interlocked.Increment(ref _strays);
            return;
        }

        run.Received(message.Index, messageId, at);
    }
}

/// <summary>A bare service: the benchmark context with the outbox, the dispatcher and MassTransit wired as every service has them.</summary>
internal static class BenchmarkHost
{
    public static async Task<IHost> StartAsync(string databaseConnectionString, string rabbitMqConnectionString, bool notifyEveryCommit)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Environment.ApplicationName = "Marketplace.Messaging.Benchmarks";
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:benchdb"] = databaseConnectionString,
            ["ConnectionStrings:rabbitmq"] = rabbitMqConnectionString,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Error",
        });
        builder.Services.AddSingleton<Deliveries>();
        builder.AddServiceDbContext<BenchmarkDbContext>("benchdb", BenchmarkDbContext.Schema);
        builder.AddMessaging<BenchmarkDbContext>(bus => bus.AddConsumer<BenchmarkConsumer>());

        var host = builder.Build();
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BenchmarkDbContext>();
            if (await db.Database.EnsureCreatedAsync())
            {
                // What each service's migration installs: the outbox table's notification trigger.
                await db.Database.ExecuteSqlRawAsync(OutboxNotifications.InstallSql(BenchmarkDbContext.Schema));
                if (notifyEveryCommit)
                {
                    // The function as the trigger first had it: it notified whichever connection committed.
                    await db.Database.ExecuteSqlRawAsync($$"""
                        CREATE OR REPLACE FUNCTION "{{BenchmarkDbContext.Schema}}".notify_outbox() RETURNS trigger LANGUAGE plpgsql AS $body$
                        BEGIN
                            PERFORM pg_notify(TG_TABLE_SCHEMA || '.outbox', '');
                            RETURN NULL;
                        END
                        $body$;
                        """);
                }
            }
        }

        await host.StartAsync();
        await host.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(60));
        return host;
    }
}
