using MassTransit;
using Marketplace.Gateway.Data;
using Marketplace.ServiceDefaults.Messaging;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests.DeadLetters;

public sealed record ProbeHappened(string Note);

/// <summary>The test's switch: a consumer broken while <see cref="Broken"/> is set, which counts its deliveries and its effects.</summary>
public sealed class ProbeSwitch
{
    private int _deliveries;
    private int _handled;
    private int _effects;

    private volatile bool _broken = true;

    public bool Broken { get => _broken; set => _broken = value; }

    public int Deliveries => Volatile.Read(ref _deliveries);

    public int Effects => Volatile.Read(ref _effects);

    /// <summary>Deliveries the consumer finished without throwing: a duplicate counts here, not in <see cref="Effects"/>.</summary>
    public int Handled => Volatile.Read(ref _handled);

    public void Finished() => Interlocked.Increment(ref _handled);

    public void Delivered() => Interlocked.Increment(ref _deliveries);

    public void TookEffect() => Interlocked.Increment(ref _effects);
}

/// <summary>A consumer as the services write them: its inbox makes a message take effect once per id.</summary>
public sealed class ProbeConsumer(GatewayDbContext db, ProbeSwitch probe) : IdempotentConsumer<ProbeHappened, GatewayDbContext>(db)
{
    protected override Task HandleAsync(ProbeHappened message, ConsumeContext<ProbeHappened> context, CancellationToken cancellationToken)
    {
        if (probe.Broken)
        {
            throw new InvalidOperationException($"The probe is broken ({message.Note}).\nSecond line that the page must not show.");
        }

        probe.TookEffect();
        return Task.CompletedTask;
    }

    /// <summary>A receive endpoint on the Gateway's bus: the queue's exchange of the same name is where a replay goes.</summary>
    public static async Task<(string Queue, HostReceiveEndpointHandle Handle)> ConnectAsync(IServiceProvider services, ProbeSwitch probe)
    {
        var queue = "dead-letter-probe-" + Guid.NewGuid().ToString("N")[..8];
        var handle = services.GetRequiredService<IBus>().ConnectReceiveEndpoint(queue, e => e.Handler<ProbeHappened>(async context =>
        {
            probe.Delivered();
            await using var scope = services.CreateAsyncScope();
            await new ProbeConsumer(scope.ServiceProvider.GetRequiredService<GatewayDbContext>(), probe).Consume(context);
            probe.Finished();
        }));
        await handle.Ready;
        return (queue, handle);
    }
}
