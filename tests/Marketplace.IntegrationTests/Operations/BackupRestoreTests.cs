using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.LocalInfrastructure;
using Marketplace.Testing;
using Npgsql;

namespace Marketplace.IntegrationTests.Operations;

/// <summary>
/// scripts/backup.sh and scripts/restore.sh as an operator runs them: a PostgreSQL holding a cooperative's products
/// (Catalog), a paid order (Orders) and its ledger postings (Settlement) is backed up, the backup restored into a new
/// PostgreSQL, every table of every database compared, row for row, and Orders started on the copy serves the order.
/// </summary>
public sealed class BackupRestoreTests
{
    [Fact]
    public async Task A_backup_restored_into_a_new_PostgreSQL_holds_the_same_orders_ledger_and_products()
    {
        // Short: the server's socket path must stay under 107 bytes.
        var root = Path.Combine(Path.GetTempPath(), "bk" + Guid.NewGuid().ToString("N")[..8]);
        await using var source = await PostgresServer.StartAsync(Path.Combine(root, "source"), deleteOnDispose: true);
        var shop = new Shop { OwnPostgres = source };
        await shop.InitializeAsync();
        Guid orderId;
        Guid cooperativeId;
        JsonElement paid;
        try
        {
            var stall = await shop.OpenStallAsync("cadangan", stock: 10, price: 40_000);
            var shopper = shop.NewShopper();
            cooperativeId = stall.CooperativeId;
            orderId = (await Shop.CheckOutAsync(shopper, stall, quantity: 2)).GetProperty("id").GetGuid();
            var awaiting = await Shop.OrderWhenAsync(shopper, orderId, "awaitingPayment");
            Assert.Equal("Paid", await shop.PayAsync(awaiting.GetProperty("checkoutUrl").GetString()!));
            paid = await Shop.OrderWhenAsync(shopper, orderId, "paid");
            await Eventually.TrueAsync(async () => (await RowsAsync(source.ConnectionString("postgres"), "settlement", "journal_lines")) > 0,
                because: "Settlement to post the sale to the ledger");
        }
        finally
        {
            // Stopped before the backup so that nothing changes between the backup and the comparison below; the
            // backup itself is taken from a running server either way (pg_basebackup holds no lock).
            await shop.DisposeAsync();
        }

        var before = await TablesAsync(source.ConnectionString("postgres"));
        Assert.True(Rows(before, "orders.orders") == 1, Describe(before));
        Assert.True(Rows(before, "settlement.journal_lines") > 0, Describe(before));
        Assert.True(Rows(before, "catalog.products") == 1, Describe(before));

        var backup = Path.Combine(root, "backup");
        await RunAsync("scripts/backup.sh", "--port", source.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), backup);
        await source.StopAsync();
        var restoredRoot = Path.Combine(root, "restored");
        await RunAsync("scripts/restore.sh", backup, "--into", restoredRoot, "--port", FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture));

        // The new server is started as the local run starts one, on the restored data directory.
        await using var restored = await PostgresServer.StartAsync(restoredRoot, deleteOnDispose: true);
        var after = await TablesAsync(restored.ConnectionString("postgres"));
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        foreach (var (table, content) in before)
        {
            Assert.True(content == after[table], $"{table}: {content} before, {after[table]} restored");
        }

        // Orders started on the restored copy answers the cooperative's admin with the same paid order.
        var settings = ServiceSettings.For(shop.Scope, TestTokens.Issuer, "orders-restored");
        var ordersDatabase = new NpgsqlConnectionStringBuilder(shop.Scope.Database("orders")).Database;
        settings["ConnectionStrings:ordersdb"] = new NpgsqlConnectionStringBuilder(restored.ConnectionString("postgres")) { Database = ordersDatabase }.ConnectionString;
        settings["Stripe:SecretKey"] = "sk_test_orders";
        settings["Stripe:ApiBase"] = "http://127.0.0.1:1";
        settings["Stripe:WebhookSecret"] = Shop.WebhookSecret;
        await using var orders = new ServiceHost<Orders.Program>(settings);
        var admin = orders.CreateClient().WithToken(TestTokens.CooperativeAdmin(cooperativeId));
        var served = await Eventually.GetAsync(
            () => admin.GetAsync(new Uri($"/api/orders/orders/{orderId}", UriKind.Relative)),
            r => r.IsSuccessStatusCode,
            because: "Orders on the restored database to answer");
        var order = await served.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("paid", order.GetProperty("status").GetString());
        foreach (var amount in paid.EnumerateObject().Where(p => p.Name.EndsWith("Rupiah", StringComparison.Ordinal) && p.Value.ValueKind == JsonValueKind.Number))
        {
            Assert.Equal(amount.Value.GetInt64(), order.GetProperty(amount.Name).GetInt64());
        }
    }

    private sealed record TableContent(long Rows, string Digest)
    {
        public override string ToString() => $"{Rows} rows, md5 {Digest}";
    }

    private static long Rows(Dictionary<string, TableContent> tables, string table) =>
        tables.Where(t => t.Key.EndsWith("/" + table, StringComparison.Ordinal)).Sum(t => t.Value.Rows);

    private static string Describe(Dictionary<string, TableContent> tables) =>
        string.Join(Environment.NewLine, tables.Select(t => $"{t.Key}: {t.Value}"));

    private static async Task<long> RowsAsync(string server, string schema, string table)
    {
        foreach (var database in await DatabasesAsync(server))
        {
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString);
            await connection.OpenAsync();
            await using var exists = new NpgsqlCommand("SELECT to_regclass(@name) IS NOT NULL", connection);
            exists.Parameters.AddWithValue("name", $"{schema}.{table}");
            if ((bool)(await exists.ExecuteScalarAsync())!)
            {
                await using var count = new NpgsqlCommand($"SELECT count(*) FROM \"{schema}\".\"{table}\"", connection);
                return (long)(await count.ExecuteScalarAsync())!;
            }
        }

        return 0;
    }

    private static async Task<List<string>> DatabasesAsync(string server)
    {
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT datname FROM pg_database WHERE NOT datistemplate AND datname <> 'postgres' ORDER BY 1", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var names = new List<string>();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    /// <summary>Every table of every database ("database/schema.table"): its row count and a digest of all its rows in order.</summary>
    private static async Task<Dictionary<string, TableContent>> TablesAsync(string server)
    {
        var tables = new Dictionary<string, TableContent>();
        foreach (var database in await DatabasesAsync(server))
        {
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString);
            await connection.OpenAsync();
            var names = new List<(string Schema, string Table)>();
            await using (var list = new NpgsqlCommand(
                "SELECT table_schema, table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')",
                connection))
            await using (var reader = await list.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    names.Add((reader.GetString(0), reader.GetString(1)));
                }
            }

            foreach (var (schema, table) in names)
            {
                // Names from the catalog, quoted: safe to compose.
                await using var digest = new NpgsqlCommand(
                    $"SELECT count(*), coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), '') FROM \"{schema}\".\"{table}\" t", connection);
                await using var reader = await digest.ExecuteReaderAsync();
                await reader.ReadAsync();
                tables[$"{database}/{schema}.{table}"] = new TableContent(reader.GetInt64(0), reader.GetString(1));
            }
        }

        return tables;
    }

    private static async Task RunAsync(string script, params string[] arguments)
    {
        var repository = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(repository.FullName, "Marketplace.sln")))
        {
            repository = repository.Parent ?? throw new InvalidOperationException("The tests run outside the repository.");
        }

        var info = new ProcessStartInfo(Path.Combine(repository.FullName, script)) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = repository.FullName };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
        Assert.True(process.ExitCode == 0, $"{script} exited with {process.ExitCode}:{Environment.NewLine}{await output}{await errors}");
    }
}
