using MassTransit;
using Marketplace.Contracts.Catalog;
using Marketplace.ServiceDefaults.Messaging;

namespace Marketplace.Notifications.Cooperatives;

public sealed class CooperativeRegisteredConsumer(NotificationsDbContext db) : IdempotentConsumer<CooperativeRegistered, NotificationsDbContext>(db)
{
    protected override async Task HandleAsync(CooperativeRegistered message, ConsumeContext<CooperativeRegistered> context, CancellationToken cancellationToken)
    {
        if (await Db.Cooperatives.FindAsync([message.CooperativeId], cancellationToken) is null)
        {
            Db.Cooperatives.Add(KnownCooperative.Registered(message));
        }
    }
}

public sealed class CooperativeUpdatedConsumer(NotificationsDbContext db) : IdempotentConsumer<CooperativeUpdated, NotificationsDbContext>(db)
{
    protected override async Task HandleAsync(CooperativeUpdated message, ConsumeContext<CooperativeUpdated> context, CancellationToken cancellationToken)
    {
        var cooperative = await Db.Cooperatives.FindAsync([message.CooperativeId], cancellationToken);
        if (cooperative is null)
        {
            Db.Cooperatives.Add(KnownCooperative.From(message));
        }
        else
        {
            cooperative.Apply(message);
        }
    }
}
