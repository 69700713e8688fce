using MassTransit;
using Marketplace.Contracts.Catalog;
using Marketplace.Orders.Settlement.Data;
using Marketplace.ServiceDefaults.Messaging;

namespace Marketplace.Orders.Settlement.Cooperatives;

/// <summary>A cooperative's new state (its time zone above all) in Settlement's directory; the newest revision wins.</summary>
public sealed class SettlementCooperativeUpdatedConsumer(SettlementDbContext db)
    : IdempotentConsumer<CooperativeUpdated, SettlementDbContext>(db)
{
    protected override async Task HandleAsync(CooperativeUpdated message, ConsumeContext<CooperativeUpdated> context, CancellationToken cancellationToken)
    {
        var cooperative = await Db.Cooperatives.FindAsync([message.CooperativeId], cancellationToken);
        if (cooperative is null)
        {
            Db.Cooperatives.Add(SettlementCooperative.From(message));
        }
        else
        {
            cooperative.Apply(message);
        }
    }
}
