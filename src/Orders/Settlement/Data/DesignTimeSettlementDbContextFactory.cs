using Marketplace.ServiceDefaults.Data;

namespace Marketplace.Orders.Settlement.Data;

internal sealed class DesignTimeSettlementDbContextFactory()
    : ServiceDbContextDesignTimeFactory<SettlementDbContext>(SettlementDbContext.Schema, options => new SettlementDbContext(options));
