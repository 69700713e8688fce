namespace Marketplace.ServiceDefaults.Messaging;

/// <summary>
/// Publishes messages through the service's transactional outbox: they are saved with the DbContext's
/// next <c>SaveChanges</c> and delivered to the broker afterwards, at least once.
/// </summary>
public interface IOutbox
{
    /// <param name="message">A contract record from Marketplace.Contracts.</param>
    /// <param name="orderingKey">Messages sharing this key (an aggregate id) are delivered in the order published.</param>
    /// <returns>The message id consumers will see.</returns>
    Guid Publish<TMessage>(TMessage message, string? orderingKey = null)
        where TMessage : class;
}
