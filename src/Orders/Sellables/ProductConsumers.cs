using MassTransit;
using Marketplace.Contracts.Catalog;
using Marketplace.ServiceDefaults.Messaging;

namespace Marketplace.Orders.Sellables;

public sealed class ProductPublishedConsumer(OrdersDbContext db) : IdempotentConsumer<ProductPublished, OrdersDbContext>(db)
{
    protected override Task HandleAsync(ProductPublished message, ConsumeContext<ProductPublished> context, CancellationToken cancellationToken) =>
        SellableUpdates.ApplyAsync(Db, message.Product, onSale: true, cancellationToken);
}

public sealed class ProductChangedConsumer(OrdersDbContext db) : IdempotentConsumer<ProductChanged, OrdersDbContext>(db)
{
    protected override Task HandleAsync(ProductChanged message, ConsumeContext<ProductChanged> context, CancellationToken cancellationToken) =>
        SellableUpdates.ApplyAsync(Db, message.Product, onSale: true, cancellationToken);
}

public sealed class ProductWithdrawnConsumer(OrdersDbContext db) : IdempotentConsumer<ProductWithdrawn, OrdersDbContext>(db)
{
    protected override async Task HandleAsync(ProductWithdrawn message, ConsumeContext<ProductWithdrawn> context, CancellationToken cancellationToken)
    {
        var sellable = await Db.Sellables.FindAsync([message.ProductId], cancellationToken);
        if (sellable is null)
        {
            // Withdrawn before its publication arrived: remember the revision, so the late publication is ignored.
            sellable = Sellable.Unknown(message.ProductId, message.CooperativeId);
            Db.Sellables.Add(sellable);
        }

        sellable.Withdraw(message.Revision);
    }
}

internal static class SellableUpdates
{
    public static async Task ApplyAsync(OrdersDbContext db, ProductSnapshot snapshot, bool onSale, CancellationToken cancellationToken)
    {
        var sellable = await db.Sellables.FindAsync([snapshot.ProductId], cancellationToken);
        if (sellable is null)
        {
            sellable = Sellable.Unknown(snapshot.ProductId, snapshot.CooperativeId);
            db.Sellables.Add(sellable);
        }

        sellable.Apply(snapshot, onSale);
    }
}
