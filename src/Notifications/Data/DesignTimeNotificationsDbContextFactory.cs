using Marketplace.ServiceDefaults.Data;

namespace Marketplace.Notifications.Data;

internal sealed class DesignTimeNotificationsDbContextFactory()
    : ServiceDbContextDesignTimeFactory<NotificationsDbContext>(NotificationsDbContext.Schema, options => new NotificationsDbContext(options));
