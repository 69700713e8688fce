using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;
using Marketplace.ServiceDefaults.Data;
using Microsoft.Extensions.Options;

namespace Marketplace.ServiceDefaults.Messaging;

/// <summary>
/// Wakes every replica's dispatcher when any replica commits outbox messages: a statement trigger on the outbox
/// table calls <c>pg_notify</c>, which PostgreSQL delivers at commit (and never for a rolled-back transaction) to
/// each listening connection. Without it a replica would find another's messages only at its next poll.
/// </summary>
public static class OutboxNotifications
{
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
    /// transaction that writes many messages costs one wakeup, not one per row.
    /// </summary>
    public static string InstallSql(string schema) => $"""
        CREATE OR REPLACE FUNCTION "{schema}".notify_outbox() RETURNS trigger LANGUAGE plpgsql AS $body$
        BEGIN
            PERFORM pg_notify(TG_TABLE_SCHEMA || '.outbox', '');
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

    public void Notified(string payload) => _signal.Pulse();

    // Whatever was committed while nobody listened is found by looking once.
    public void Listening() => _signal.Pulse();
}
