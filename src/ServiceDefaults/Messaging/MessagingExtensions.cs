using System.Text.RegularExpressions;
using MassTransit;
using Marketplace.ServiceDefaults.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Marketplace.ServiceDefaults.Messaging;

public static partial class MessagingExtensions
{
    /// <summary>Name of the RabbitMQ connection string: an <c>amqp://user:password@host:port/vhost</c> URI.</summary>
    public const string RabbitMqConnectionName = "rabbitmq";

    /// <summary>
    /// MassTransit on RabbitMQ with the service's transactional outbox and inbox in <typeparamref name="TDbContext"/>:
    /// kebab-case durable endpoints, publisher confirms, retry then delayed redelivery, faults in <c>_error</c> queues.
    /// </summary>
    public static IHostApplicationBuilder AddMessaging<TDbContext>(
        this IHostApplicationBuilder builder,
        Action<IBusRegistrationConfigurator>? configureConsumers = null)
        where TDbContext : DbContext
    {
        var services = builder.Services;
        services.AddScoped<IOutbox, Outbox<TDbContext>>();
        services.AddSingleton<IRedeliveryScheduler, OutboxRedeliveryScheduler<TDbContext>>();
        services.AddOptions<ConsumerRetryOptions>().BindConfiguration("Messaging:Retry");
        services.AddSingleton(new OrderedEndpointNames());
        AddOutboxDispatch<TDbContext>(services);

        var settings = builder.Configuration.GetSection("Messaging");
        var endpointPrefix = settings["EndpointPrefix"];
        var quorumQueues = settings.GetValue("QuorumQueues", false);
        var connectionString = builder.Configuration.GetConnectionString(RabbitMqConnectionName)
            ?? throw new InvalidOperationException($"ConnectionStrings:{RabbitMqConnectionName} is not configured.");
        var broker = RabbitMqAddress.Parse(connectionString);

        services.AddMassTransit(bus =>
        {
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(endpointPrefix, includeNamespace: false));
            configureConsumers?.Invoke(bus);

            bus.AddConfigureEndpointsCallback((context, name, endpoint) =>
            {
                var ordered = context.GetService<OrderedEndpointNames>()?.Contains(name) == true;
                if (ordered && endpoint is IRabbitMqReceiveEndpointConfigurator orderedQueue)
                {
                    orderedQueue.SingleActiveConsumer = true;
                    orderedQueue.PrefetchCount = 1;
                    orderedQueue.ConcurrentMessageLimit = 1;
                }

                endpoint.UseConsumeFilter(typeof(RetryThenRedeliverFilter<>), context);
                if (quorumQueues && endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
                {
                    // Replicated across the cluster's nodes: a node restart loses no message.
                    rabbit.SetQuorumQueue();
                }
            });

            bus.UsingRabbitMq((context, cfg) =>
            {
                // MassTransit's default, twice the cores up to 16, is four messages at a time on a 2-core pod; the
                // consumers mostly wait on PostgreSQL, so they keep more in hand than the pod has cores: 16 at a time.
                // The broker sends more ahead than that, so a consumer that finishes one has the next already in hand
                // rather than after its acknowledgement's round trip: on a busy pod that round trip waits for a core,
                // and with as many sent ahead as consumed at a time the consumers delivered a third of what they could
                // (bench/Messaging.Benchmarks, docs/benchmarks.md).
                cfg.PrefetchCount = settings.GetValue("PrefetchCount", 64);
                cfg.ConcurrentMessageLimit = settings.GetValue("ConcurrentMessageLimit", 16);
                cfg.Host(broker.Host, broker.Port, broker.VirtualHost, RabbitMqAddress.ConnectionName(builder.Environment.ApplicationName), h =>
                {
                    h.Username(broker.Username);
                    h.Password(broker.Password);
                    h.PublisherConfirmation = true;
                    h.Heartbeat(TimeSpan.FromSeconds(10));
                    h.RequestedConnectionTimeout(TimeSpan.FromSeconds(10));
                });
                cfg.Durable = true;
                cfg.ConfigureEndpoints(context);
            });
        });

        // The service starts and answers even while the broker is down; the outbox keeps what it publishes.
        services.Configure<MassTransitHostOptions>(o =>
        {
            o.WaitUntilStarted = false;
            o.StopTimeout = TimeSpan.FromSeconds(30);
        });
        return builder;
    }

    /// <summary>
    /// A second outbox in a service that hosts a module with a context of its own (Orders' Settlement): its messages
    /// are written by the module's saves (<see cref="AggregateRoot"/>) in the module's transactions, and delivered by a
    /// dispatcher of its own, on the service's one bus (<see cref="AddMessaging{TDbContext}"/>, called as well). The
    /// context's model needs <see cref="MessagingModelBuilderExtensions.AddOutboxAndInbox"/>, and a migration
    /// <see cref="OutboxNotifications.AddOutboxNotifications"/>.
    /// </summary>
    public static IHostApplicationBuilder AddModuleOutbox<TModuleDbContext>(this IHostApplicationBuilder builder)
        where TModuleDbContext : DbContext
    {
        ArgumentNullException.ThrowIfNull(builder);
        AddOutboxDispatch<TModuleDbContext>(builder.Services);
        return builder;
    }

    /// <summary>What delivering one context's outbox takes: its dispatcher, woken by its own commits and by PostgreSQL's notifications.</summary>
    private static void AddOutboxDispatch<TDbContext>(IServiceCollection services)
        where TDbContext : DbContext
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<OutboxSignals>();
        services.TryAddSingleton<OutboxSignalInterceptor>();
        services.AddOptions<OutboxOptions>().BindConfiguration("Messaging:Outbox");
        services.AddSingleton<OutboxDispatcher<TDbContext>>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxDispatcher<TDbContext>>());
        services.AddPostgresNotifications<TDbContext, OutboxNotificationHandler<TDbContext>>();
        // The backlog gauges: one instrument per service, one measurement per outbox it delivers.
        services.AddSingleton<Telemetry.IOutboxBacklogSource, Telemetry.OutboxBacklogSource<TDbContext>>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, Telemetry.OutboxBacklogMetrics>());
    }

    /// <summary>Registers <typeparamref name="TDbContext"/> on PostgreSQL, in its own schema, with snake_case names.</summary>
    public static IHostApplicationBuilder AddServiceDbContext<TDbContext>(
        this IHostApplicationBuilder builder,
        string connectionName,
        string schema,
        string healthCheckName = "database")
        where TDbContext : DbContext
    {
        var configured = builder.Configuration.GetConnectionString(connectionName)
            ?? throw new InvalidOperationException($"ConnectionStrings:{connectionName} is not configured.");
        var connectionString = new Npgsql.NpgsqlConnectionStringBuilder(configured);
        if (connectionString.MaxAutoPrepare == 0)
        {
            // A statement run twice on a connection is prepared there: PostgreSQL stops parsing and planning the same
            // few dozen statements (claims, inbox inserts, lookups by id) for every request and message.
            connectionString.MaxAutoPrepare = 64;
            connectionString.AutoPrepareMinUsages = 2;
        }

        // A pooled connection is not reset when it goes back to the pool: with prepared statements the reset is seven
        // statements (CLOSE ALL, RESET ALL, UNLISTEN *, ...) run before the next command, and Orders opens a connection
        // 30-40 times per checkout, so the resets were three quarters of its statements. Nothing here leaves session
        // state behind: settings are SET LOCAL, locks are transaction-scoped, and LISTEN and the one session lock (the
        // payment sweep's) have unpooled connections of their own. A connection string that says otherwise is kept.
        if (!configured.Contains("Reset On Close", StringComparison.OrdinalIgnoreCase) && !configured.Contains("NoResetOnClose", StringComparison.OrdinalIgnoreCase))
        {
            connectionString.NoResetOnClose = true;
        }

        // At most DefaultMaxPoolSize connections per replica rather than Npgsql's 100: PostgreSQL runs as many
        // statements at once as it has cores, and more backends only queue inside it, where they fight over the same
        // index pages and snapshots. A moment's stall then let an open stream of writers open a hundred connections,
        // and at a hundred the database ran slower than the stream came in: messages waited seconds, and one run never
        // caught up. Eight rather than twenty cost the database a quarter less CPU per paid order, and the outbox's
        // dispatcher kept up with sixteen writers instead of falling behind them (bench/Orders.Benchmarks and
        // bench/Messaging.Benchmarks --max-pool-size, docs/benchmarks.md). Beyond the cap a caller waits in the pool's
        // queue, in order, at no cost to the others. A connection string that says otherwise is kept.
        if (!MaxPoolSizeKeyword().IsMatch(configured))
        {
            connectionString.MaxPoolSize = DefaultMaxPoolSize;
        }

        // Pooled: the options are built once, not for every request and message, and a context is reset and reused
        // rather than built with its internal services each time (a few percent of a busy service's CPU).
        builder.Services.AddDbContextPool<TDbContext>((sp, options) =>
        {
            options.UseNpgsql(DispatchedHere<TDbContext>(sp) ? WithDispatchedHere(connectionString) : connectionString.ConnectionString, npgsql => npgsql.MigrationsHistoryTable(Data.MigrationExtensions.HistoryTable, schema))
                .UseSnakeCaseNamingConvention();
            options.AddInterceptors(new Data.UtcTimestampsInterceptor());
            var interceptor = sp.GetService<OutboxSignalInterceptor>();
            if (interceptor is not null)
            {
                // Owed messages become outbox rows first, so the signal sees them among the save's added rows.
                options.AddInterceptors(new OwedMessagesInterceptor(sp.GetService<TimeProvider>() ?? TimeProvider.System), interceptor);
            }
        });
        builder.Services.AddHealthChecks().AddDbContextCheck<TDbContext>(healthCheckName, tags: [Extensions.ReadyTag]);
        return builder;
    }

    /// <summary>The connections one replica keeps to one database unless its connection string sets Maximum Pool Size.</summary>
    public const int DefaultMaxPoolSize = 8;

    // Npgsql's spellings: "Maximum Pool Size" and "MaxPoolSize", in any case.
    [GeneratedRegex(@"max(imum)?\s*pool\s*size\s*=", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MaxPoolSizeKeyword();

    /// <summary>Whether this replica runs the dispatcher of <typeparamref name="TDbContext"/>'s outbox, which its commits wake in-process.</summary>
    private static bool DispatchedHere<TDbContext>(IServiceProvider services)
        where TDbContext : DbContext =>
        services.GetService<IServiceProviderIsService>()?.IsService(typeof(OutboxDispatcher<TDbContext>)) == true
        && services.GetService<IOptions<OutboxOptions>>()?.Value.DispatcherEnabled == true;

    private static string WithDispatchedHere(Npgsql.NpgsqlConnectionStringBuilder connectionString)
    {
        var marked = new Npgsql.NpgsqlConnectionStringBuilder(connectionString.ConnectionString);
        marked.Options = string.IsNullOrWhiteSpace(marked.Options)
            ? OutboxNotifications.DispatchedHereOption
            : $"{marked.Options} {OutboxNotifications.DispatchedHereOption}";
        return marked.ConnectionString;
    }
}

/// <summary>The parts of an <c>amqp://</c> connection string MassTransit's host configuration takes one by one.</summary>
public sealed record RabbitMqAddress(string Host, ushort Port, string VirtualHost, string Username, string Password)
{
    public static RabbitMqAddress Parse(string connectionString)
    {
        var uri = new Uri(connectionString);
        if (uri.Scheme is not ("amqp" or "amqps" or "rabbitmq"))
        {
            throw new InvalidOperationException("The RabbitMQ connection string must be an amqp:// URI.");
        }

        var credentials = uri.UserInfo.Split(':', 2);
        var virtualHost = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        return new RabbitMqAddress(
            uri.Host,
            uri.IsDefaultPort ? (ushort)5672 : (ushort)uri.Port,
            string.IsNullOrEmpty(virtualHost) ? "/" : virtualHost,
            credentials.Length > 0 && credentials[0].Length > 0 ? Uri.UnescapeDataString(credentials[0]) : "guest",
            credentials.Length > 1 ? Uri.UnescapeDataString(credentials[1]) : "guest");
    }

    public static string ConnectionName(string application) => $"{application}@{Environment.MachineName}";
}
