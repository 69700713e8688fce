using System.Diagnostics;
using Marketplace.Catalog.Data;
using Marketplace.Catalog.Search;
using Marketplace.LocalInfrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace Marketplace.Catalog.Benchmarks;

/// <summary>
/// Fills a fresh PostgreSQL with a large catalogue (one cooperative of 10,000 products, the rest spread over
/// others) and times the shopper's list page and search through the same code the API runs.
/// </summary>
internal sealed class SearchBenchmark : IAsyncDisposable
{
    private static readonly string[] Kinds = ["Kerupuk", "Keripik", "Abon", "Ikan Asin", "Terasi", "Sambal", "Dodol", "Tas Anyaman", "Batik Tulis", "Sirup", "Peyek", "Stik", "Rengginang", "Hiasan"];
    private static readonly string[] Ingredients = ["Ikan Tenggiri", "Udang Rebon", "Cumi", "Rajungan", "Tongkol", "Teri", "Rumput Laut", "Singkong", "Pisang", "Pandan", "Kerang", "Bandeng", "Kakap", "Mangrove"];
    private static readonly string[] Styles = ["Pedas", "Manis", "Original", "Balado", "Bawang", "Super", "Mini", "Jumbo", "Khas Binor", "Premium"];
    private static readonly string[] Makers = ["Siti", "Suhartini", "Hasanah", "Lilik", "Rukmini", "Wati", "Aminah", "Yuliana", "Sri", "Endang", "Fatimah", "Kusnul"];
    private static readonly string[] Categories = ["kerupuk", "camilan", "hasil-laut-kering", "minuman", "kerajinan", "batik"];

    private readonly PostgresServer _postgres;
    private readonly string _connectionString;
    private readonly Guid _bigCooperative;

    private SearchBenchmark(PostgresServer postgres, string connectionString, Guid bigCooperative)
    {
        _postgres = postgres;
        _connectionString = connectionString;
        _bigCooperative = bigCooperative;
    }

    /// <param name="keptFolder">
    /// Where to keep the database for the next run (--data): a million products take over ten minutes to load. A folder
    /// that already holds this many products is used as it is; otherwise a temporary one is filled and removed.
    /// </param>
    public static async Task<SearchBenchmark> CreateAsync(int productCount, string? keptFolder = null)
    {
        var folder = keptFolder ?? Path.Combine(Path.GetTempPath(), "marketplace-bench", Guid.NewGuid().ToString("N"));
        var postgres = await PostgresServer.StartAsync(folder, durable: false, deleteOnDispose: keptFolder is null);
        var connectionString = postgres.ConnectionString("bench_catalog");
        await using (var db = NewContext(connectionString))
        {
            await db.Database.MigrateAsync();
            var kept = await db.Products.CountAsync();
            if (kept == productCount)
            {
                Console.WriteLine($"Using the {kept:N0} products kept in {folder}");
                // The list page's store: the first cooperative, as FillAsync made it.
                return new SearchBenchmark(postgres, connectionString, await db.Cooperatives.Where(c => c.Slug == "koperasi-0").Select(c => c.Id).SingleAsync());
            }

            if (kept != 0)
            {
                throw new InvalidOperationException($"{folder} holds {kept:N0} products, not {productCount:N0}: give another folder.");
            }
        }

        var watch = Stopwatch.StartNew();
        var bigCooperative = await FillAsync(connectionString, productCount);
        Console.WriteLine($"Filled {productCount:N0} products in {watch.Elapsed.TotalSeconds:F1} s");
        return new SearchBenchmark(postgres, connectionString, bigCooperative);
    }

    /// <summary>
    /// The server settings of the production overlay (deploy/k8s/overlays/production/data.yaml, a quarter of the
    /// database pod's memory limit as shared buffers), on top of what the local run uses (PostgreSQL's defaults).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> ProductionSettings = new Dictionary<string, string>
    {
        ["shared_buffers"] = "1GB",
        ["effective_cache_size"] = "3GB",
    };

    /// <summary>Restarts the benchmark's PostgreSQL with <see cref="ProductionSettings"/>: same data, cold buffers.</summary>
    public async Task UseProductionSettingsAsync()
    {
        await _postgres.RestartWithAsync(ProductionSettings);
        // The pool's connections were closed by the restart.
        NpgsqlConnection.ClearAllPools();
    }

    private static CatalogDbContext NewContext(string connectionString) => new(
        new DbContextOptionsBuilder<CatalogDbContext>()
            .UseNpgsql(connectionString, o => o.MigrationsHistoryTable("__ef_migrations_history", CatalogDbContext.Schema))
            .UseSnakeCaseNamingConvention()
            .Options);

    private static async Task<Guid> FillAsync(string connectionString, int productCount)
    {
        var random = new Random(42);
        var cooperatives = Enumerable.Range(0, 10).Select(_ => Guid.CreateVersion7()).ToArray();
        var members = cooperatives.SelectMany(c => Enumerable.Range(0, 12).Select(i => (Id: Guid.CreateVersion7(), Cooperative: c, Name: "Ibu " + Makers[i]))).ToArray();
        // A million products' variants take minutes to load (the availability trigger fires for each one).
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { CommandTimeout = 1800 }.ConnectionString);
        await connection.OpenAsync();

        await using (var writer = await connection.BeginBinaryImportAsync(
            "COPY catalog.cooperatives (id, slug, name, time_zone, kiosk_opening_hours, fee_percent, category_fee_percents, status, registered_at, revision) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < cooperatives.Length; i++)
            {
                await writer.StartRowAsync();
                await writer.WriteAsync(cooperatives[i]);
                await writer.WriteAsync($"koperasi-{i}");
                await writer.WriteAsync($"Koperasi {i}");
                await writer.WriteAsync("Asia/Jakarta");
                await writer.WriteAsync("[]", NpgsqlDbType.Jsonb);
                await writer.WriteAsync(10m);
                await writer.WriteAsync("{}", NpgsqlDbType.Jsonb);
                await writer.WriteAsync("Active");
                await writer.WriteAsync(DateTimeOffset.UtcNow);
                await writer.WriteAsync(1L);
            }

            await writer.CompleteAsync();
        }

        await using (var writer = await connection.BeginBinaryImportAsync(
            "COPY catalog.members (id, cooperative_id, display_name, slug, status, joined_at, revision) FROM STDIN (FORMAT BINARY)"))
        {
            // Each member's page address is unique (the same names recur in every cooperative).
            foreach (var (member, index) in members.Select((m, i) => (m, i)))
            {
                await writer.StartRowAsync();
                await writer.WriteAsync(member.Id);
                await writer.WriteAsync(member.Cooperative);
                await writer.WriteAsync(member.Name);
                await writer.WriteAsync($"pembuat-{index}");
                await writer.WriteAsync("Active");
                await writer.WriteAsync(DateTimeOffset.UtcNow);
                await writer.WriteAsync(1L);
            }

            await writer.CompleteAsync();
        }

        // The first cooperative holds 10,000 products: the list page benchmark's store.
        var productIds = new Guid[productCount];
        await using (var writer = await connection.BeginBinaryImportAsync(
            "COPY catalog.products (id, cooperative_id, member_id, maker_name, category, status, name_id, name_en, description_id, revision_status, seller_active, on_sale, created_at, updated_at, published_at, revision, min_price_rupiah, halal_certificate_number, halal_valid_until) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < productCount; i++)
            {
                var cooperativeIndex = i < 10_000 ? 0 : 1 + (i % 9);
                var member = members[(cooperativeIndex * 12) + random.Next(12)];
                var name = $"{Kinds[random.Next(Kinds.Length)]} {Ingredients[random.Next(Ingredients.Length)]} {Styles[random.Next(Styles.Length)]}";
                var published = DateTimeOffset.UtcNow.AddMinutes(-random.Next(500_000));
                productIds[i] = Guid.CreateVersion7(published);
                var halal = random.Next(3) > 0;
                await writer.StartRowAsync();
                await writer.WriteAsync(productIds[i]);
                await writer.WriteAsync(member.Cooperative);
                await writer.WriteAsync(member.Id);
                await writer.WriteAsync(member.Name);
                await writer.WriteAsync(Categories[random.Next(Categories.Length)]);
                await writer.WriteAsync("Published");
                await writer.WriteAsync(name);
                await writer.WriteAsync($"{name} (en)");
                await writer.WriteAsync($"{name} buatan {member.Name}, oleh-oleh khas pantai. Nomor {i}.");
                await writer.WriteAsync("None");
                await writer.WriteAsync(true);
                await writer.WriteAsync(true);
                await writer.WriteAsync(published);
                await writer.WriteAsync(published);
                await writer.WriteAsync(published);
                await writer.WriteAsync(1L);
                await writer.WriteAsync((long)(random.Next(10, 300) * 1000));
                if (halal)
                {
                    await writer.WriteAsync($"ID{random.Next():D10}");
                    await writer.WriteAsync(new DateOnly(2030, 1, 1));
                }
                else
                {
                    await writer.WriteNullAsync();
                    await writer.WriteNullAsync();
                }
            }

            await writer.CompleteAsync();
        }

        await using (var writer = await connection.BeginBinaryImportAsync(
            "COPY catalog.variants (id, product_id, sku, label, price_rupiah, weight_grams, on_hand, reserved, active) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < productCount; i++)
            {
                for (var v = 0; v < 2; v++)
                {
                    await writer.StartRowAsync();
                    await writer.WriteAsync(Guid.CreateVersion7());
                    await writer.WriteAsync(productIds[i]);
                    await writer.WriteAsync($"SKU-{i}-{v}");
                    await writer.WriteAsync(v == 0 ? "250 g" : "500 g");
                    await writer.WriteAsync((long)((v + 1) * 25_000));
                    await writer.WriteAsync(300 * (v + 1));
                    await writer.WriteAsync(random.Next(4) == 0 ? 0 : random.Next(1, 80));
                    await writer.WriteAsync(0);
                    await writer.WriteAsync(true);
                }
            }

            await writer.CompleteAsync();
        }

        await using (var analyze = new NpgsqlCommand("REFRESH MATERIALIZED VIEW catalog.search_words", connection))
        {
            await analyze.ExecuteNonQueryAsync();
        }

        // The availability trigger rewrote every product row during the fill: measure the steady state that
        // autovacuum keeps in production, not a table of dead rows.
        foreach (var statement in new[] { "VACUUM (FULL, ANALYZE) catalog.products", "VACUUM ANALYZE" })
        {
            await using var vacuum = new NpgsqlCommand(statement, connection) { CommandTimeout = 600 };
            await vacuum.ExecuteNonQueryAsync();
        }

        return cooperatives[0];
    }

    /// <summary>Times the three workloads; returns the mixed search's p50 and p95 in milliseconds.</summary>
    public async Task<(double P50, double P95)> RunAsync(int iterations)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var list = new Func<int, SearchQuery>(i => new SearchQuery(null, _bigCooperative, null, null, null, null, false, false, "newest", 1 + (i % 20), 24));
        // Exact words, misspellings ("krupuk", "tengiri", "rumpt") and multi-word queries, as shoppers type them.
        string[] terms = ["kerupuk", "krupuk tengiri", "teri", "abon tongkol", "tas pandan", "siti", "sambal cumi pedas", "batik", "rumpt laut", "kerang"];
        var search = new Func<int, SearchQuery>(i => new SearchQuery(terms[i % terms.Length], null, null, null, null, null, false, i % 3 == 0, null, 1, 24));
        var filtered = new Func<int, SearchQuery>(i => new SearchQuery(null, null, null, "kerupuk", 20_000, 150_000, true, true, "price_asc", 1 + (i % 5), 24));

        Console.WriteLine();
        Console.WriteLine("| Workload | p50 ms | p95 ms | requests/s (1 client) |");
        Console.WriteLine("| --- | ---: | ---: | ---: |");
        await MeasureAsync("List page: 24 newest of a 10,000-product cooperative", list, iterations, today);
        var mixed = await MeasureAsync("Search: ten terms mixed, a third of them with the \"in stock\" filter", search, iterations, today);
        await MeasureAsync("Filtered list: category, price range, halal, in stock", filtered, iterations, today);
        if (Environment.GetEnvironmentVariable("BENCH_PER_TERM") == "1")
        {
            foreach (var term in terms)
            {
                await MeasureAsync($"  search '{term}'", _ => new SearchQuery(term, null, null, null, null, null, false, false, null, 1, 24), Math.Max(20, iterations / 10), today);
                await MeasureAsync($"  search '{term}', in stock", _ => new SearchQuery(term, null, null, null, null, null, false, true, null, 1, 24), Math.Max(20, iterations / 10), today);
            }
        }

        return mixed;
    }

    private async Task<(double P50, double P95)> MeasureAsync(string name, Func<int, SearchQuery> query, int iterations, DateOnly today)
    {
        // Warm up: connection pool, plans, buffer cache.
        for (var i = 0; i < 30; i++)
        {
            await using var db = NewContext(_connectionString);
            await ProductSearch.RunAsync(db, query(i), today, CancellationToken.None);
        }

        var samples = new List<double>(iterations);
        var total = Stopwatch.StartNew();
        for (var i = 0; i < iterations; i++)
        {
            var watch = Stopwatch.StartNew();
            await using var db = NewContext(_connectionString);
            var page = await ProductSearch.RunAsync(db, query(i), today, CancellationToken.None);
            samples.Add(watch.Elapsed.TotalMilliseconds);
            if (page.Items.Count == 0 && i == 0)
            {
                Console.WriteLine($"  (warning: {name} returned nothing)");
            }
        }

        var (p50, p95, _) = Stats.Of(samples);
        Console.WriteLine(FormattableString.Invariant($"| {name} | {p50:F2} | {p95:F2} | {iterations / total.Elapsed.TotalSeconds:F0} |"));
        return (p50, p95);
    }

    /// <summary>Prints the plans of the main queries, for tuning: --explain.</summary>
    public async Task ExplainAsync()
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        // The statements ProductSearch and SearchVocabulary run, with the plan each states: typo corrections, a last
        // word's completions and the words' counts; a broad search walked newest first ("in stock": a pilot, then
        // counting to 1,001; details left out) and a narrower query's count; the first 1,001 matches with their tiers
        // (details left out); a tier probed through its GIN index; a tier walked down ix_products_newest; a narrow
        // query ordered whole; the filtered list.
        const string Kerupuk = "to_tsquery('simple', '(kerupuk)')";
        const string Siti = "to_tsquery('simple', '(siti)')";
        const string Narrow = "to_tsquery('simple', '(sambal) & (cumi) & (pedas)')";
        const string Bitmap = "SET enable_seqscan = off; SET enable_indexscan = off; SET enable_bitmapscan = on";
        const string Newest = "SET enable_seqscan = off; SET enable_indexscan = on; SET enable_bitmapscan = off";
        const string Planners = "SET enable_seqscan = on; SET enable_indexscan = on; SET enable_bitmapscan = on";
        (string Settings, string Sql)[] queries =
        [
            (Planners, Vocabulary("krupuk", "tengiri")),
            (Planners, Vocabulary("kerupuk")),
            (Newest, $"WITH pilot AS MATERIALIZED (SELECT count(*) AS found FROM (SELECT p.name_maker_vector FROM catalog.products p WHERE p.on_sale AND p.in_stock ORDER BY p.published_at DESC, p.id LIMIT 1000) x WHERE x.name_maker_vector @@ {Kerupuk}), m AS MATERIALIZED (SELECT w.id, w.published_at, w.tier FROM (SELECT p.id, p.published_at, CASE WHEN p.name_vector @@ {Kerupuk} THEN 3 WHEN p.name_maker_vector @@ {Kerupuk} THEN 2 ELSE 0 END AS tier FROM catalog.products p WHERE p.on_sale AND p.in_stock ORDER BY p.published_at DESC, p.id LIMIT 26600) w WHERE w.tier > 0 AND (SELECT found FROM pilot) >= 48 ORDER BY w.published_at DESC, w.id LIMIT 1001) SELECT count(*), count(*) FILTER (WHERE tier = 3), count(*) FILTER (WHERE tier = 2) FROM m"),
            (Bitmap, "SELECT count(*) FROM (SELECT 1 FROM catalog.products p WHERE p.on_sale AND p.search_vector @@ to_tsquery('simple', 'kerupuk & tenggiri') LIMIT 1001) proof"),
            (Bitmap, $"WITH m AS MATERIALIZED (SELECT p.id, p.published_at, CASE WHEN p.name_vector @@ {Kerupuk} THEN 3 WHEN p.name_maker_vector @@ {Kerupuk} THEN 2 ELSE 1 END AS tier FROM catalog.products p WHERE p.on_sale AND p.search_vector @@ {Kerupuk} LIMIT 1001) SELECT s.total, s.best, s.second, page.id FROM (SELECT count(*) AS total, count(*) FILTER (WHERE tier = 3) AS best, count(*) FILTER (WHERE tier = 2) AS second FROM m) s LEFT JOIN LATERAL (SELECT m.id, m.tier, m.published_at FROM m ORDER BY m.tier DESC, m.published_at DESC, m.id LIMIT 24 OFFSET 0) page ON true ORDER BY page.tier DESC, page.published_at DESC, page.id"),
            (Bitmap, $"WITH m AS MATERIALIZED (SELECT p.id, p.published_at FROM catalog.products p WHERE p.on_sale AND p.name_vector @@ {Kerupuk} LIMIT 501) SELECT m.id, (SELECT count(*) FROM m) FROM m ORDER BY m.published_at DESC, m.id LIMIT 24"),
            (Newest, $"SELECT p.id FROM catalog.products p WHERE p.on_sale AND p.in_stock AND p.name_vector @@ {Kerupuk} ORDER BY p.published_at DESC, p.id LIMIT 24"),
            (Bitmap, $"WITH m AS MATERIALIZED (SELECT p.id, p.published_at FROM catalog.products p WHERE p.on_sale AND p.name_vector @@ {Siti} LIMIT 501) SELECT m.id, (SELECT count(*) FROM m) FROM m ORDER BY m.published_at DESC, m.id LIMIT 24"),
            (Newest, $"SELECT p.id FROM catalog.products p WHERE p.on_sale AND p.name_maker_vector @@ {Siti} AND NOT p.name_vector @@ {Siti} ORDER BY p.published_at DESC, p.id LIMIT 24"),
            (Bitmap, $"SELECT p.id, CASE WHEN p.name_vector @@ {Narrow} THEN 3 WHEN p.name_maker_vector @@ {Narrow} THEN 2 ELSE 1 END AS tier FROM catalog.products p WHERE p.on_sale AND p.search_vector @@ {Narrow} ORDER BY tier DESC, p.published_at DESC, p.id LIMIT 24"),
            (Planners, "SELECT p.id FROM catalog.products p WHERE p.on_sale AND p.category = 'kerupuk' AND p.min_price_rupiah >= 20000 AND p.min_price_rupiah <= 150000 AND p.halal_certificate_number IS NOT NULL AND p.halal_valid_until >= '2026-11-27' AND p.in_stock ORDER BY p.min_price_rupiah, p.id LIMIT 24"),
        ];
        foreach (var (settings, sql) in queries)
        {
            await using (var set = new NpgsqlCommand(settings, connection))
            {
                await set.ExecuteNonQueryAsync();
            }

            // The last of three runs: what a warm cache gives.
            var plan = new List<string>();
            for (var run = 0; run < 3; run++)
            {
                await using var command = new NpgsqlCommand("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql, connection);
                await using var reader = await command.ExecuteReaderAsync();
                plan.Clear();
                while (await reader.ReadAsync())
                {
                    plan.Add(reader.GetString(0));
                }
            }

            Console.WriteLine();
            Console.WriteLine(sql);
            plan.ForEach(Console.WriteLine);
        }
    }

    // The vocabulary's query, as SearchVocabulary sends it, with its parameters written out for EXPLAIN.
    private static string Vocabulary(params string[] words)
    {
        static string Literal(object? value) => value switch
        {
            string text => $"'{text.Replace("'", "''", StringComparison.Ordinal)}'",
            string[] texts => $"ARRAY[{string.Join(", ", texts.Select(Literal))}]::text[]",
            _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!,
        };

        var query = SearchVocabulary.Query(words);
        return string.Format(System.Globalization.CultureInfo.InvariantCulture, query.Format, query.GetArguments().Select(Literal).ToArray());
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await _postgres.DisposeAsync();
    }
}
