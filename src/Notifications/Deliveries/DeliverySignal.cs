using Marketplace.ServiceDefaults;
using Marketplace.ServiceDefaults.Data;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Notifications.Deliveries;

/// <summary>Wakes this replica's dispatcher of notifications.</summary>
public sealed class DeliverySignal : WakeSignal;

/// <summary>
/// A statement trigger on the notifications table notifies <c>notifications.due</c> at commit, so every replica's
/// dispatcher wakes when any replica (or consumer) commits new messages, not at its next poll. Inserts only: the
/// dispatcher's own claims update rows, and a trigger on those would wake it forever.
/// </summary>
public sealed class DueNotifications(DeliverySignal signal) : IPostgresNotificationHandler
{
    public const string ChannelName = "notifications.due";

    public const string InstallSql = """
        CREATE OR REPLACE FUNCTION notifications.notify_due() RETURNS trigger LANGUAGE plpgsql AS $body$
        BEGIN
            PERFORM pg_notify('notifications.due', '');
            RETURN NULL;
        END
        $body$;
        CREATE OR REPLACE TRIGGER notifications_notify_due
            AFTER INSERT ON notifications.notifications
            FOR EACH STATEMENT EXECUTE FUNCTION notifications.notify_due();
        """;

    public const string DropSql = """
        DROP TRIGGER IF EXISTS notifications_notify_due ON notifications.notifications;
        DROP FUNCTION IF EXISTS notifications.notify_due();
        """;

    public bool Enabled => true;

    public string Channel(DbContext db) => ChannelName;

    public void Notified(string payload) => signal.Pulse();

    public void Listening() => signal.Pulse();
}
