using Marketplace.ServiceDefaults.Data;

namespace Marketplace.Gateway.Data;

internal sealed class DesignTimeGatewayDbContextFactory()
    : ServiceDbContextDesignTimeFactory<GatewayDbContext>(GatewayDbContext.Schema, options => new GatewayDbContext(options));
