using MassTransit;
using Marketplace.Contracts.Catalog;
using Marketplace.Orders.Data;
using Marketplace.ServiceDefaults.Messaging;

namespace Marketplace.Orders.Merchants;

public sealed class CooperativeRegisteredConsumer(OrdersDbContext db)
    : IdempotentConsumer<CooperativeRegistered, OrdersDbContext>(db)
{
    protected override async Task HandleAsync(CooperativeRegistered message, ConsumeContext<CooperativeRegistered> context, CancellationToken cancellationToken)
    {
        if (await Db.Merchants.FindAsync([message.CooperativeId], cancellationToken) is null)
        {
            Db.Merchants.Add(Merchant.Register(message.CooperativeId, message.Slug, message.Name, message.FeePercent, message.RegisteredAt));
        }
    }
}

public sealed class CooperativeRenamedConsumer(OrdersDbContext db)
    : IdempotentConsumer<CooperativeRenamed, OrdersDbContext>(db)
{
    protected override async Task HandleAsync(CooperativeRenamed message, ConsumeContext<CooperativeRenamed> context, CancellationToken cancellationToken)
    {
        // Catalog publishes a cooperative's messages in order, so the registration is already here.
        var merchant = await Db.Merchants.FindAsync([message.CooperativeId], cancellationToken)
            ?? throw new InvalidOperationException($"Cooperative {message.CooperativeId} was renamed before Orders learnt of it.");
        merchant.Rename(message.Name);
    }
}
