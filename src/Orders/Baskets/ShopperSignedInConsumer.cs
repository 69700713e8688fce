using MassTransit;
using Marketplace.Contracts.Gateway;

namespace Marketplace.Orders.Baskets;

/// <summary>
/// A guest signed in: her baskets and orders become the account's, in one transaction. Idempotent by its effect: once
/// taken in, the guest has nothing left to move.
/// </summary>
public sealed class ShopperSignedInConsumer(OrdersDbContext db, TimeProvider clock) : IConsumer<ShopperSignedIn>
{
    public Task Consume(ConsumeContext<ShopperSignedIn> context) =>
        BasketStore.TakeInGuestAsync(db, BasketOwner.GuestOf(context.Message.GuestId), BasketOwner.UserOf(context.Message.UserId), clock.GetUtcNow(), context.CancellationToken);
}
