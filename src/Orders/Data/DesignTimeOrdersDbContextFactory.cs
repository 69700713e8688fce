using Marketplace.ServiceDefaults.Data;

namespace Marketplace.Orders.Data;

internal sealed class DesignTimeOrdersDbContextFactory()
    : ServiceDbContextDesignTimeFactory<OrdersDbContext>(OrdersDbContext.Schema, options => new OrdersDbContext(options));
