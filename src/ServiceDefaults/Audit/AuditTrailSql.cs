namespace Marketplace.ServiceDefaults.Audit;

/// <summary>
/// The database's half of the audit trail, installed by each service's migration in its own schema. PostgreSQL, not
/// the service, numbers and chains each row: inserts are serialized by a transaction-scoped advisory lock, so every
/// replica appends to one chain in commit order, and a row's hash covers its fields and the previous row's hash.
/// Updates, deletes and truncation are refused; someone who gets past that (a superuser disabling the trigger) is
/// found by <see cref="CheckQuery"/>: the first row whose hash, link or number no longer fits.
/// </summary>
public static class AuditTrailSql
{
    public const string Table = "audit_entries";

    /// <summary>The functions and triggers for <paramref name="schema"/>'s audit table (created by the same migration just before).</summary>
    public static string Install(string schema) => $$"""
        CREATE FUNCTION {{schema}}.audit_entry_hash(e {{schema}}.{{Table}}) RETURNS text LANGUAGE sql STABLE AS $fn$
            -- A JSON array keeps the fields apart unambiguously; the moment as microseconds since 1970 reads the same in any time zone.
            SELECT encode(sha256(convert_to(jsonb_build_array(
                e.sequence, e.id, (extract(epoch FROM e.at) * 1000000)::bigint, e.actor_id, e.actor_name, e.actor_role, e.client_address,
                e.cooperative_id, e.action, e.subject_type, e.subject_id, e.before, e.after, e.reason, e.previous_hash)::text, 'UTF8')), 'hex')
        $fn$;

        CREATE FUNCTION {{schema}}.audit_entries_chain() RETURNS trigger LANGUAGE plpgsql AS $fn$
        DECLARE
            last record;
        BEGIN
            -- Held until this transaction ends: the next insert sees this row committed (or rolled back) before it links.
            PERFORM pg_advisory_xact_lock(hashtext('{{schema}}.{{Table}}'));
            SELECT sequence, hash INTO last FROM {{schema}}.{{Table}} ORDER BY sequence DESC LIMIT 1;
            NEW.sequence := coalesce(last.sequence, 0) + 1;
            NEW.previous_hash := coalesce(last.hash, '');
            NEW.hash := {{schema}}.audit_entry_hash(NEW);
            RETURN NEW;
        END
        $fn$;

        CREATE TRIGGER audit_entries_chain BEFORE INSERT ON {{schema}}.{{Table}}
            FOR EACH ROW EXECUTE FUNCTION {{schema}}.audit_entries_chain();

        CREATE FUNCTION {{schema}}.audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN
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
        DROP TRIGGER IF EXISTS audit_entries_chain ON {schema}.{Table};
        DROP FUNCTION IF EXISTS {schema}.audit_entries_append_only();
        DROP FUNCTION IF EXISTS {schema}.audit_entries_chain();
        DROP FUNCTION IF EXISTS {schema}.audit_entry_hash({schema}.{Table});
        """;

    /// <summary>
    /// (Columns in snake_case: the services' naming convention maps <see cref="AuditCheckResult"/> to them.)
    /// Walks the whole chain: how many rows, and the first whose number is out of step (a row removed before it), whose
    /// link is not the previous row's hash, or whose hash no longer matches its fields (the row was changed).
    /// </summary>
    public static string CheckQuery(string schema) => $"""
        WITH chain AS (
            SELECT e.sequence, e.hash, e.previous_hash,
                   {schema}.audit_entry_hash(e) AS expected,
                   coalesce(lag(e.hash) OVER (ORDER BY e.sequence), '') AS prior,
                   row_number() OVER (ORDER BY e.sequence) AS position
            FROM {schema}.{Table} e)
        SELECT count(*)::bigint AS checked,
               coalesce(max(sequence), 0)::bigint AS last,
               min(sequence) FILTER (WHERE hash IS DISTINCT FROM expected OR previous_hash IS DISTINCT FROM prior OR sequence <> position) AS first_broken
        FROM chain
        """;
}
