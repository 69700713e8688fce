using MassTransit;
using Marketplace.Contracts.Catalog;
using Marketplace.ServiceDefaults.Messaging;

namespace Marketplace.Orders.Merchants;

public sealed class CooperativeRegisteredConsumer(OrdersDbContext db)
    : IdempotentConsumer<CooperativeRegistered, OrdersDbContext>(db)
{
    protected override async Task HandleAsync(CooperativeRegistered message, ConsumeContext<CooperativeRegistered> context, CancellationToken cancellationToken)
    {
        if (await Db.Merchants.FindAsync([message.CooperativeId], cancellationToken) is null)
        {
            Db.Merchants.Add(Merchant.Register(message));
        }
    }
}

public sealed class CooperativeUpdatedConsumer(OrdersDbContext db)
    : IdempotentConsumer<CooperativeUpdated, OrdersDbContext>(db)
{
    protected override async Task HandleAsync(CooperativeUpdated message, ConsumeContext<CooperativeUpdated> context, CancellationToken cancellationToken)
    {
        var merchant = await Db.Merchants.FindAsync([message.CooperativeId], cancellationToken);
        if (merchant is null)
        {
            // The update carries the whole state: it can stand in for a registration not seen yet.
            Db.Merchants.Add(Merchant.From(message));
        }
        else
        {
            merchant.Apply(message);
        }
    }
}
