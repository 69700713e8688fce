using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.ServiceDefaults.Messaging;

/// <summary>The endpoints whose messages must be applied in the order they were published.</summary>
public sealed class OrderedEndpointNames
{
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    public void Add(string endpointName) => _names.Add(endpointName);

    public bool Contains(string endpointName) => _names.Contains(endpointName);
}

public static class OrderedConsumerExtensions
{
    /// <summary>
    /// Puts a consumer on a queue consumed strictly in order: one message at a time, by one replica at a time
    /// (RabbitMQ's single active consumer; the other replicas stand by and take over if it dies). Give every
    /// consumer of one aggregate's messages the same endpoint name, so the order the outbox publishes them
    /// in is the order they are applied in. Failures are retried in place, never redelivered later, which
    /// would put a message behind its successors.
    /// </summary>
    public static IConsumerRegistrationConfigurator<TConsumer> AddOrderedConsumer<TConsumer>(this IBusRegistrationConfigurator bus, string endpointName)
        where TConsumer : class, IConsumer
    {
        ArgumentNullException.ThrowIfNull(bus);
        var names = bus.FirstOrDefault(d => d.ServiceType == typeof(OrderedEndpointNames))?.ImplementationInstance as OrderedEndpointNames;
        if (names is null)
        {
            names = new OrderedEndpointNames();
            bus.AddSingleton(names);
        }

        names.Add(endpointName);
        var registration = bus.AddConsumer<TConsumer>();
        registration.Endpoint(e =>
        {
            e.Name = endpointName;
            e.ConcurrentMessageLimit = 1;
        });
        return registration;
    }
}
