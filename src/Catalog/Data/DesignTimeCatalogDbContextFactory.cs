using Marketplace.ServiceDefaults.Data;

namespace Marketplace.Catalog.Data;

internal sealed class DesignTimeCatalogDbContextFactory()
    : ServiceDbContextDesignTimeFactory<CatalogDbContext>(CatalogDbContext.Schema, options => new CatalogDbContext(options));
