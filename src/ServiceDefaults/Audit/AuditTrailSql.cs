namespace Marketplace.ServiceDefaults.Audit;

/// <summary>
/// The database's half of the audit trail, installed by each service's migration in its own schema. PostgreSQL, not
/// the service, numbers and chains each row as its transaction commits, under a transaction-scoped advisory lock, so
/// every replica appends to one chain in commit order, and a row's hash covers its fields and the previous row's hash.
/// Updates, deletes and truncation are refused; someone who gets past that (a superuser disabling the trigger) is
/// found by <see cref="CheckQuery"/>: the first row whose hash, link or number no longer fits.
/// </summary>
public static class AuditTrailSql
{
    public const string Table = "audit_entries";

    /// <summary>The functions and triggers for <paramref name="schema"/>'s audit table (created by the same migration just before).</summary>
    /// <remarks>
    /// A row is sealed (numbered, linked, hashed) by a deferred trigger as its transaction commits, not as it is inserted:
    /// the chain's lock is then the last lock the transaction takes. Taken at insert time, it was held while the rest of
    /// the save went on to lock rows (a till, a merchant), and another save holding one of those rows and waiting for the
    /// chain made a deadlock. Until it is sealed a row carries a negative placeholder number (unique, so concurrent saves
    /// do not collide) and no hash; only its own transaction ever sees it so.
    /// </remarks>
    public static string Install(string schema) => $$"""
        CREATE SEQUENCE {{schema}}.audit_entries_unsealed;

        CREATE FUNCTION {{schema}}.audit_entry_hash(e {{schema}}.{{Table}}) RETURNS text LANGUAGE sql STABLE AS $fn$
            -- A JSON array keeps the fields apart unambiguously; the moment as microseconds since 1970 reads the same in any time zone.
            SELECT encode(sha256(convert_to(jsonb_build_array(
                e.sequence, e.id, (extract(epoch FROM e.at) * 1000000)::bigint, e.actor_id, e.actor_name, e.actor_role, e.client_address,
                e.cooperative_id, e.action, e.subject_type, e.subject_id, e.before, e.after, e.reason, e.previous_hash)::text, 'UTF8')), 'hex')
        $fn$;

        CREATE FUNCTION {{schema}}.audit_entries_unsealed() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN
            NEW.sequence := -nextval('{{schema}}.audit_entries_unsealed');
            NEW.previous_hash := NULL;
            NEW.hash := NULL;
            RETURN NEW;
        END
        $fn$;

        CREATE TRIGGER audit_entries_unsealed BEFORE INSERT ON {{schema}}.{{Table}}
            FOR EACH ROW EXECUTE FUNCTION {{schema}}.audit_entries_unsealed();

        CREATE FUNCTION {{schema}}.audit_entries_seal() RETURNS trigger LANGUAGE plpgsql AS $fn$
        DECLARE
            last record;
            sealed {{schema}}.{{Table}};
        BEGIN
            -- Held until this transaction ends: the next one to commit links to this row, in commit order.
            PERFORM pg_advisory_xact_lock(hashtext('{{schema}}.{{Table}}'));
            SELECT sequence, hash INTO last FROM {{schema}}.{{Table}} WHERE hash IS NOT NULL ORDER BY sequence DESC LIMIT 1;
            SELECT * INTO sealed FROM {{schema}}.{{Table}} WHERE id = NEW.id;
            sealed.sequence := coalesce(last.sequence, 0) + 1;
            sealed.previous_hash := coalesce(last.hash, '');
            UPDATE {{schema}}.{{Table}}
               SET sequence = sealed.sequence, previous_hash = sealed.previous_hash, hash = {{schema}}.audit_entry_hash(sealed)
             WHERE id = NEW.id;
            RETURN NULL;
        END
        $fn$;

        CREATE CONSTRAINT TRIGGER audit_entries_seal AFTER INSERT ON {{schema}}.{{Table}}
            DEFERRABLE INITIALLY DEFERRED
            FOR EACH ROW EXECUTE FUNCTION {{schema}}.audit_entries_seal();

        CREATE FUNCTION {{schema}}.audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN
            -- The one change allowed: sealing a row of this very transaction (no other can see it unsealed).
            IF TG_OP = 'UPDATE' AND OLD.hash IS NULL THEN
                RETURN NEW;
            END IF;
            RAISE EXCEPTION 'The audit trail is append-only: % is refused.', TG_OP;
        END
        $fn$;

        CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON {{schema}}.{{Table}}
            FOR EACH ROW EXECUTE FUNCTION {{schema}}.audit_entries_append_only();

        CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON {{schema}}.{{Table}}
            FOR EACH STATEMENT EXECUTE FUNCTION {{schema}}.audit_entries_append_only();
        """;

    public static string Uninstall(string schema) => $"""
        DROP TRIGGER IF EXISTS audit_entries_no_truncate ON {schema}.{Table};
        DROP TRIGGER IF EXISTS audit_entries_append_only ON {schema}.{Table};
        DROP TRIGGER IF EXISTS audit_entries_seal ON {schema}.{Table};
        DROP TRIGGER IF EXISTS audit_entries_unsealed ON {schema}.{Table};
        DROP FUNCTION IF EXISTS {schema}.audit_entries_append_only();
        DROP FUNCTION IF EXISTS {schema}.audit_entries_seal();
        DROP FUNCTION IF EXISTS {schema}.audit_entries_unsealed();
        DROP FUNCTION IF EXISTS {schema}.audit_entry_hash({schema}.{Table});
        DROP SEQUENCE IF EXISTS {schema}.audit_entries_unsealed;
        """;

    /// <summary>
    /// Walks the whole chain: how many rows, and the first whose number is out of step (a row removed before it), whose
    /// link is not the previous row's hash, or whose hash no longer matches its fields (the row was changed).
    /// </summary>
    public static string CheckQuery(string schema) => $"""
        WITH chain AS (
            SELECT e.sequence, e.hash, e.previous_hash,
                   {schema}.audit_entry_hash(e) AS expected,
                   coalesce(lag(e.hash) OVER (ORDER BY e.sequence), '') AS prior,
                   row_number() OVER (ORDER BY e.sequence) AS position
            FROM {schema}.{Table} e
            WHERE e.hash IS NOT NULL OR e.sequence > 0)
        SELECT count(*)::bigint AS checked,
               coalesce(max(sequence), 0)::bigint AS last,
               min(sequence) FILTER (WHERE hash IS DISTINCT FROM expected OR previous_hash IS DISTINCT FROM prior OR sequence <> position) AS first_broken
        FROM chain
        """;
}
