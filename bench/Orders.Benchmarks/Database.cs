using System.Globalization;
using Npgsql;

/// <summary>
/// What PostgreSQL allows on one hot stock row: the reservation's own hold statement (as Catalog's stock ledger runs it),
/// alone, in autocommit, from as many connections as there are shoppers. Every unit it holds is given back afterwards.
/// </summary>
internal static class HotRow
{
    /// <summary>Returns the holds made and the seconds they took.</summary>
    public static async Task<(long Held, double Seconds)> MeasureAsync(string connectionString, Guid cooperativeId, Product product, int connections, TimeSpan duration)
    {
        await using var source = NpgsqlDataSource.Create(connectionString);
        long held = 0;
        using var stop = new CancellationTokenSource();
        var started = System.Diagnostics.Stopwatch.StartNew();
        stop.CancelAfter(duration);
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async _ =>
        {
            await using var connection = await source.OpenConnectionAsync();
            await using var hold = new NpgsqlCommand(
                """
                UPDATE catalog.variants v SET reserved = v.reserved + 1
                FROM catalog.products p
                WHERE v.id = $1 AND p.id = v.product_id
                  AND p.cooperative_id = $2 AND p.on_sale AND v.active
                  AND v.on_hand - v.reserved >= 1
                """, connection);
            hold.Parameters.Add(new NpgsqlParameter { Value = product.VariantId });
            hold.Parameters.Add(new NpgsqlParameter { Value = cooperativeId });
            await hold.PrepareAsync();
            while (!stop.IsCancellationRequested)
            {
                Interlocked.Add(ref held, await hold.ExecuteNonQueryAsync());
            }
        }));
        var seconds = started.Elapsed.TotalSeconds;

        await using (var giveBack = source.CreateCommand("UPDATE catalog.variants SET reserved = reserved - $1 WHERE id = $2"))
        {
            giveBack.Parameters.Add(new NpgsqlParameter { Value = (int)held });
            giveBack.Parameters.Add(new NpgsqlParameter { Value = product.VariantId });
            await giveBack.ExecuteNonQueryAsync();
        }

        return (held, seconds);
    }
}

/// <summary>
/// Splits each order's reservation round trip into its message hops, from the timestamps both services keep anyway:
/// when Orders wrote ReserveStock to its outbox, when its dispatcher claimed it, when Catalog's consumer began,
/// when Catalog wrote StockReserved, when its dispatcher claimed it, and when Orders' consumer began.
/// </summary>
internal static class Hops
{
    public static async Task<string> RowAsync(string name, string ordersDb, string catalogDb, DateTimeOffset from, DateTimeOffset to)
    {
        var requests = await ReadAsync(ordersDb, "orders", "ReserveStock", from, to);
        var catalogInbox = await InboxAsync(catalogDb, "catalog", requests.Select(r => r.MessageId));
        var replies = await ReadAsync(catalogDb, "catalog", "StockReserved", from, to.AddMinutes(1));
        var ordersInbox = await InboxAsync(ordersDb, "orders", replies.Select(r => r.MessageId));
        var replyByOrder = replies.GroupBy(r => r.Key).ToDictionary(g => g.Key, g => g.First());

        var ordersWait = new List<double>();
        var toCatalog = new List<double>();
        var catalogHolds = new List<double>();
        var catalogWait = new List<double>();
        var toOrders = new List<double>();
        foreach (var request in requests)
        {
            if (request.ClaimedAt is not { } claimed || !catalogInbox.TryGetValue(request.MessageId, out var consumed)
                || !replyByOrder.TryGetValue(request.Key, out var reply) || reply.ClaimedAt is not { } replyClaimed
                || !ordersInbox.TryGetValue(reply.MessageId, out var answered))
            {
                continue;
            }

            ordersWait.Add((claimed - request.CreatedAt).TotalMilliseconds);
            toCatalog.Add((consumed - claimed).TotalMilliseconds);
            catalogHolds.Add((reply.CreatedAt - consumed).TotalMilliseconds);
            catalogWait.Add((replyClaimed - reply.CreatedAt).TotalMilliseconds);
            toOrders.Add((answered - replyClaimed).TotalMilliseconds);
        }

        static string Cell(List<double> values) => string.Create(CultureInfo.InvariantCulture,
            $"{Percentiles.Of(values, 0.5):F1} / {Percentiles.Of(values, 0.95):F1}");
        return $"| {name} | {Cell(ordersWait)} | {Cell(toCatalog)} | {Cell(catalogHolds)} | {Cell(catalogWait)} | {Cell(toOrders)} |";
    }

    private sealed record Row(Guid MessageId, string Key, DateTimeOffset CreatedAt, DateTimeOffset? ClaimedAt);

    private static async Task<List<Row>> ReadAsync(string connectionString, string schema, string messageType, DateTimeOffset from, DateTimeOffset to)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        // The schema names are this program's constants; the dispatcher stamps dispatched_at with its claim's now().
        await using var command = new NpgsqlCommand(
            $"""
            SELECT message_id, ordering_key, created_at, dispatched_at FROM {schema}.outbox_messages
            WHERE message_type LIKE $1 AND created_at >= $2 AND created_at < $3
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = $"%.{messageType},%" });
        command.Parameters.Add(new NpgsqlParameter { Value = from });
        command.Parameters.Add(new NpgsqlParameter { Value = to });
        var rows = new List<Row>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(new Row(reader.GetGuid(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2),
                reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3)));
        }

        return rows;
    }

    private static async Task<Dictionary<Guid, DateTimeOffset>> InboxAsync(string connectionString, string schema, IEnumerable<Guid> messageIds)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT message_id, min(processed_at) FROM {schema}.inbox_messages WHERE message_id = ANY($1) GROUP BY message_id", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = messageIds.ToArray() });
        var found = new Dictionary<Guid, DateTimeOffset>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            found[reader.GetGuid(0)] = reader.GetFieldValue<DateTimeOffset>(1);
        }

        return found;
    }
}

/// <summary>
/// Counts what PostgreSQL runs for each paid order, per database and per statement, with pg_stat_statements: the
/// server is restarted with the library preloaded before any service connects.
/// </summary>
internal static class Statements
{
    public static async Task EnableAsync(Marketplace.LocalInfrastructure.PostgresServer postgres)
    {
        await postgres.RestartWithAsync(new Dictionary<string, string>
        {
            ["shared_preload_libraries"] = "pg_stat_statements",
            ["pg_stat_statements.track"] = "all",
        });
        await using var source = NpgsqlDataSource.Create(postgres.ConnectionString("postgres"));
        await using var create = source.CreateCommand("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        await create.ExecuteNonQueryAsync();
    }

    public static async Task ResetAsync(Marketplace.LocalInfrastructure.PostgresServer postgres, bool enabled)
    {
        if (!enabled)
        {
            return;
        }

        await using var source = NpgsqlDataSource.Create(postgres.ConnectionString("postgres"));
        await using var reset = source.CreateCommand("SELECT pg_stat_statements_reset()");
        await reset.ExecuteNonQueryAsync();
    }

    public static async Task<string> PerOrderAsync(Marketplace.LocalInfrastructure.PostgresServer postgres, int paidOrders)
    {
        await using var source = NpgsqlDataSource.Create(postgres.ConnectionString("postgres"));
        await using var read = source.CreateCommand(
            """
            SELECT d.datname, s.calls, s.total_exec_time, s.rows, regexp_replace(s.query, '\s+', ' ', 'g')
            FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
            WHERE d.datname LIKE 'bench_%'
            ORDER BY d.datname, s.calls DESC
            """);
        var lines = new List<string>();
        var perDatabase = new Dictionary<string, (double Calls, double Ms)>();
        await using (var reader = await read.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                var database = reader.GetString(0);
                var calls = reader.GetInt64(1) / (double)paidOrders;
                var ms = reader.GetDouble(2) / paidOrders;
                var (c, m) = perDatabase.GetValueOrDefault(database);
                perDatabase[database] = (c + calls, m + ms);
                if (calls >= 0.05)
                {
                    var query = reader.GetString(4);
                    lines.Add(string.Create(CultureInfo.InvariantCulture, $"  {database} {calls,6:F2} calls {ms,6:F3} ms  {(query.Length > 160 ? query[..160] : query)}"));
                }
            }
        }

        var totals = perDatabase.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key}: {p.Value.Calls:F1} statements, {p.Value.Ms:F2} ms executing"));
        return string.Join(Environment.NewLine, totals.Concat(lines));
    }
}
