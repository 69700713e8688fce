using MassTransit;
using Marketplace.ServiceDefaults.Messaging;
using Marketplace.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Marketplace.ServiceDefaults.Tests;

/// <summary>A module's aggregate, in a context of its own, that owes a ping when it is created.</summary>
public sealed class Parcel : AggregateRoot
{
    private Parcel()
    {
    }

    public Guid Id { get; private set; }

    public static Parcel Send(string key, int sequence)
    {
        var parcel = new Parcel { Id = Guid.NewGuid() };
        parcel.Owe(new Ping(key, sequence), key);
        return parcel;
    }
}

public sealed class ModuleTestDbContext(DbContextOptions<ModuleTestDbContext> options) : DbContext(options)
{
    public const string Schema = "module_test";

    public DbSet<Parcel> Parcels => Set<Parcel>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.Entity<Parcel>().HasKey(p => p.Id);
        modelBuilder.AddOutboxAndInbox();
    }
}

/// <summary>
/// A service hosting a module with its own context (as Orders hosts Settlement): each context's outbox is delivered by
/// its own dispatcher, woken by its own commits and its own PostgreSQL channel, not by the other's.
/// </summary>
public sealed class ModuleOutboxTests
{
    [Fact]
    public async Task A_modules_outbox_and_the_services_are_each_delivered_by_their_own_dispatcher_woken_by_their_own_commits()
    {
        var scope = await TestScope.CreateAsync();
        var log = new DeliveryLog();
        // Polls so far apart that only a wakeup delivers a message within the test.
        await using var writer = await StartAsync(scope, log, dispatcher: false);
        await using var service = await StartAsync(scope, log, dispatcher: true);

        // One context's commit at a time, so a wakeup meant for one dispatcher cannot be made up for by the other's.
        // Written by this replica (its own signals) and by another without dispatchers (PostgreSQL's notifications).
        (RunningHost Host, string Name, bool Module)[] steps =
        [
            (writer, "remote", true), (writer, "remote", false), (writer, "remote", true), (writer, "remote", true),
            (writer, "remote", false), (writer, "remote", false), (service, "local", true), (service, "local", false),
            (service, "local", true), (writer, "remote", true),
        ];
        var sent = new List<(string Key, int Sequence)>();
        for (var step = 0; step < steps.Length; step++)
        {
            var (host, name, toModule) = steps[step];
            var key = $"{(toModule ? "module" : "service")}-{name}";
            await using (var work = host.Services.CreateAsyncScope())
            {
                if (toModule)
                {
                    var module = work.ServiceProvider.GetRequiredService<ModuleTestDbContext>();
                    module.Parcels.Add(Parcel.Send(key, step));
                    await module.SaveChangesAsync();
                }
                else
                {
                    work.ServiceProvider.GetRequiredService<IOutbox>().Publish(new Ping(key, step), key);
                    await work.ServiceProvider.GetRequiredService<MessagingTestDbContext>().SaveChangesAsync();
                }
            }

            sent.Add((key, step));
            await Eventually.TrueAsync(
                () => Task.FromResult(log.Pings.Any(p => p.Message.Key == key && p.Message.Sequence == step)),
                TimeSpan.FromSeconds(15),
                because: $"step {step}'s ping ({key}) to arrive");
        }

        Assert.Equal(sent.Count, log.Pings.Count);
    }

    private static async Task<RunningHost> StartAsync(TestScope scope, DeliveryLog log, bool dispatcher)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:testdb"] = scope.Database("service"),
            ["ConnectionStrings:moduledb"] = scope.Database("module"),
            ["ConnectionStrings:rabbitmq"] = scope.RabbitMqConnectionString,
            ["Messaging:Outbox:PollInterval"] = "00:10:00",
            ["Messaging:Outbox:DispatcherEnabled"] = dispatcher.ToString(),
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Error",
        });
        builder.Services.AddSingleton(log);
        builder.AddServiceDbContext<MessagingTestDbContext>("testdb", "messaging_test");
        builder.AddServiceDbContext<ModuleTestDbContext>("moduledb", ModuleTestDbContext.Schema, "module-database");
        builder.AddMessaging<MessagingTestDbContext>(bus =>
        {
            if (dispatcher)
            {
                bus.AddConsumer<PingRecorder>();
            }
        });
        builder.AddModuleOutbox<ModuleTestDbContext>();
        var host = builder.Build();
        if (!dispatcher)
        {
            await using var init = host.Services.CreateAsyncScope();
            await CreateAsync(init.ServiceProvider.GetRequiredService<MessagingTestDbContext>(), "messaging_test");
            await CreateAsync(init.ServiceProvider.GetRequiredService<ModuleTestDbContext>(), ModuleTestDbContext.Schema);
        }

        await host.StartAsync();
        await host.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30));
        if (dispatcher)
        {
            // Both contexts' listening connections are open before anything is written.
            await Eventually.TrueAsync(
                () => Task.FromResult(host.Services.GetServices<IHostedService>().OfType<Data.PostgresNotificationListener<MessagingTestDbContext>>().Single().Listening
                    && host.Services.GetServices<IHostedService>().OfType<Data.PostgresNotificationListener<ModuleTestDbContext>>().Single().Listening),
                because: "both contexts to listen");
        }

        return new RunningHost(host);
    }

    private static async Task CreateAsync(DbContext db, string schema)
    {
        await db.Database.EnsureCreatedAsync();
        await db.Database.ExecuteSqlRawAsync(OutboxNotifications.InstallSql(schema));
    }

    private sealed class RunningHost(IHost host) : IAsyncDisposable
    {
        public IServiceProvider Services => host.Services;

        public async ValueTask DisposeAsync()
        {
            await host.StopAsync();
            host.Dispose();
        }
    }
}
