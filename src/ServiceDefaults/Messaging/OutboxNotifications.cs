using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;
using Marketplace.ServiceDefaults.Data;
using Microsoft.Extensions.Options;

namespace Marketplace.ServiceDefaults.Messaging;

/// <summary>
/// Wakes the replicas' dispatchers when outbox messages are committed that no dispatcher was told of: a statement
/// trigger on the outbox table calls <c>pg_notify</c>, which PostgreSQL delivers at commit (and never for a
/// rolled-back transaction) to each listening connection. A replica that runs a dispatcher wakes it in-process for its
/// own commits and says so on its connections (<see cref="DispatchedHereSetting"/>), so its commits notify nobody: a
/// transaction that notifies takes a lock at commit that every other notifying commit of the database waits for, and
/// each notification wakes every replica to claim the same rows. The dispatcher calls for help instead when it finds
/// more than one batch waiting, and when it stops (<see cref="OutboxDispatcher{TDbContext}"/>).
/// </summary>
public static class OutboxNotifications
{
    /// <summary>
    /// A connection setting: <c>on</c> on the connections of a replica whose dispatcher of that outbox runs. A commit
    /// from anywhere else (a replica without a dispatcher, the migration job, a hand-written statement) still notifies.
    /// </summary>
    public const string DispatchedHereSetting = "marketplace.outbox_dispatched_here";

    /// <summary>The startup option that sets <see cref="DispatchedHereSetting"/> on a connection.</summary>
    public const string DispatchedHereOption = $"-c {DispatchedHereSetting}=on";

    /// <summary>The channel the outbox table of <paramref name="schema"/> notifies on.</summary>
    public static string Channel(string schema) => $"{schema}.outbox";

    /// <summary>Creates the trigger; for a service's migration. The schema is the service's own constant.</summary>
    public static MigrationBuilder AddOutboxNotifications(this MigrationBuilder migrationBuilder, string schema)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.Sql(InstallSql(schema));
        return migrationBuilder;
    }

    /// <summary>Drops the trigger; for a migration's Down.</summary>
    public static MigrationBuilder DropOutboxNotifications(this MigrationBuilder migrationBuilder, string schema)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.Sql($"""
            DROP TRIGGER IF EXISTS {MessagingModelBuilderExtensions.OutboxTable}_notify ON "{schema}".{MessagingModelBuilderExtensions.OutboxTable};
            DROP FUNCTION IF EXISTS "{schema}".notify_outbox();
            """);
        return migrationBuilder;
    }

    /// <summary>
    /// One notification per inserting statement (PostgreSQL folds identical ones within a transaction into one), so a
    /// transaction that writes many messages costs one wakeup, not one per row; none from a connection whose replica
    /// dispatches the outbox itself. Replacing the function of an earlier version is safe both ways: a connection that
    /// does not set <see cref="DispatchedHereSetting"/> notifies as before.
    /// </summary>
    public static string InstallSql(string schema) => $"""
        CREATE OR REPLACE FUNCTION "{schema}".notify_outbox() RETURNS trigger LANGUAGE plpgsql AS $body$
        BEGIN
            IF current_setting('{DispatchedHereSetting}', true) IS DISTINCT FROM 'on' THEN
                PERFORM pg_notify(TG_TABLE_SCHEMA || '.outbox', '');
            END IF;
            RETURN NULL;
        END
        $body$;
        CREATE OR REPLACE TRIGGER {MessagingModelBuilderExtensions.OutboxTable}_notify
            AFTER INSERT ON "{schema}".{MessagingModelBuilderExtensions.OutboxTable}
            FOR EACH STATEMENT EXECUTE FUNCTION "{schema}".notify_outbox();
        """;
}

/// <summary>Wakes this replica's dispatcher of <typeparamref name="TDbContext"/>'s outbox when any replica's commit wrote to it.</summary>
internal sealed class OutboxNotificationHandler<TDbContext>(OutboxSignals signals, IOptions<OutboxOptions> options) : IPostgresNotificationHandler
    where TDbContext : DbContext
{
    private readonly OutboxSignal _signal = signals.For<TDbContext>();

    public bool Enabled => options.Value.DispatcherEnabled && options.Value.ListenForNotifications;

    public string Channel(DbContext db) => OutboxNotifications.Channel(db.OutboxSchema());

    public void Notified(string payload)
    {
        if (payload != _signal.CallForHelpPayload)
        {
            _signal.Pulse();
        }
    }

    // Whatever was committed while nobody listened is found by looking once.
    public void Listening() => _signal.Pulse();
}
