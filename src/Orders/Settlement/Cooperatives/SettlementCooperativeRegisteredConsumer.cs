using MassTransit;
using Marketplace.Contracts.Catalog;
using Marketplace.Orders.Settlement.Data;
using Marketplace.ServiceDefaults.Messaging;

namespace Marketplace.Orders.Settlement.Cooperatives;

/// <summary>A cooperative registered in Catalog enters Settlement's directory (its own copy, apart from Orders' merchants).</summary>
public sealed class SettlementCooperativeRegisteredConsumer(SettlementDbContext db)
    : IdempotentConsumer<CooperativeRegistered, SettlementDbContext>(db)
{
    protected override async Task HandleAsync(CooperativeRegistered message, ConsumeContext<CooperativeRegistered> context, CancellationToken cancellationToken)
    {
        if (await Db.Cooperatives.FindAsync([message.CooperativeId], cancellationToken) is null)
        {
            Db.Cooperatives.Add(SettlementCooperative.Registered(message));
        }
    }
}
