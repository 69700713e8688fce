using System.Data.Common;
using System.Diagnostics;
using System.Text;
using Marketplace.Catalog.Common;
using Marketplace.Catalog.Data;
using Marketplace.Catalog.Images;
using Marketplace.Catalog.Products;
using Marketplace.ServiceDefaults.Errors;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Marketplace.Catalog.Search;

public sealed record ProductSummary(
    Guid Id,
    Guid CooperativeId,
    Guid MemberId,
    string NameId,
    string? NameEn,
    string Category,
    string MakerName,
    long PriceFromRupiah,
    bool InStock,
    bool HalalCertified,
    bool IsFood,
    string? ImageUrl,
    string? ImageUrlLarge,
    DateOnly? MakerAwayFrom = null,
    DateOnly? MakerAwayUntil = null,
    Reviews.RatingResponse? Rating = null);

/// <param name="Total">Matching products, counted up to <see cref="ProductSearch.MaxCount"/>.</param>
/// <param name="TotalIsLowerBound">True when there are more than that: show "1000+".</param>
public sealed record ProductPage(IReadOnlyList<ProductSummary> Items, int Total, bool TotalIsLowerBound, int Page, int PageSize);

/// <summary>
/// Shoppers' list and search: PostgreSQL full text over names, descriptions and the maker's name in both
/// languages, with misspelt words corrected by trigram similarity against the catalogue's vocabulary
/// ("krupuk" finds "kerupuk"), most relevant first (name, then maker, then description matches), filters, sorting
/// and pages. Every query is bounded: short input, small pages,
/// a capped count and a statement timeout.
/// </summary>
public static class ProductSearch
{
    public const int MaxQueryLength = 100;
    public const int MaxPageSize = 48;
    public const int MaxPage = 200;
    public const int MaxCount = 1000;

    public static RouteGroupBuilder MapProductSearchApi(this RouteGroupBuilder api)
    {
        api.MapGet("/products", SearchAsync)
            .WithTags("Products")
            .WithName("SearchProducts")
            .WithSummary("Products on sale: ?q=&cooperative=&member=&category=&minPrice=&maxPrice=&halal=&inStock=&sort=relevance|newest|price_asc|price_desc|rating&page=&pageSize=");
        return api;
    }

    public static async Task<Ok<ProductPage>> SearchAsync(
        CatalogDbContext db,
        TimeProvider clock,
        Microsoft.Extensions.Options.IOptions<SearchVocabularyOptions> options,
        CancellationToken cancellationToken,
        string? q = null,
        Guid? cooperative = null,
        Guid? member = null,
        string? category = null,
        long? minPrice = null,
        long? maxPrice = null,
        bool? halal = null,
        bool? inStock = null,
        string? sort = null,
        int page = 1,
        int pageSize = 24)
    {
        var query = new SearchQuery(q, cooperative, member, category, minPrice, maxPrice, halal ?? false, inStock ?? false, sort, page, pageSize);
        // One cooperative's shelf runs by its calendar; a search across them by the default zone's.
        var today = cooperative is { } one ? clock.Today(await db.TimeZoneOfAsync(one, cancellationToken)) : clock.Today();
        var found = await RunAsync(db, query, today, cancellationToken, options.Value.StatementTimeout);
        return TypedResults.Ok(await WithHolidaysAsync(db, found, today, cancellationToken));
    }

    /// <summary>
    /// Each card says when its maker is away: one small indexed look-up for the page's makers, rather than a join in
    /// every search plan (few members are ever away at once).
    /// </summary>
    public static async Task<ProductPage> WithHolidaysAsync(CatalogDbContext db, ProductPage page, DateOnly today, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(page);
        if (page.Items.Count == 0)
        {
            return page;
        }

        var makers = page.Items.Select(i => i.MemberId).Distinct().ToList();
        var away = await db.Members.AsNoTracking()
            .Where(m => makers.Contains(m.Id) && m.AwayUntil != null && m.AwayUntil >= today)
            .Select(m => new { m.Id, m.AwayFrom, m.AwayUntil })
            .ToDictionaryAsync(m => m.Id, cancellationToken);
        return away.Count == 0
            ? page
            : page with
            {
                Items = page.Items.Select(i => away.TryGetValue(i.MemberId, out var h) ? i with { MakerAwayFrom = h.AwayFrom, MakerAwayUntil = h.AwayUntil } : i).ToList(),
            };
    }

    public static async Task<ProductPage> RunAsync(CatalogDbContext db, SearchQuery query, DateOnly today, CancellationToken cancellationToken, TimeSpan? statementTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(query);
        var text = Validate(query);
        var searchText = text is null ? null : await SearchVocabulary.ToTsQueryAsync(db, text, cancellationToken);
        var q = searchText?.TsQuery;
        if (text is not null && q is null)
        {
            // Nothing searchable was typed (only punctuation): nothing matches.
            return new ProductPage([], 0, false, query.Page, query.PageSize);
        }

        // Filters first, on the products table alone; the page's few rows get their details afterwards.
        var filters = new StringBuilder(" WHERE p.on_sale");
        var parameters = new List<NpgsqlParameter> { new("today", today) };
        if (q is not null)
        {
            parameters.Add(new NpgsqlParameter("q", q));
        }

        if (query.Cooperative is { } cooperative)
        {
            filters.Append(" AND p.cooperative_id = @cooperative");
            parameters.Add(new NpgsqlParameter("cooperative", cooperative));
        }

        if (query.Member is { } member)
        {
            filters.Append(" AND p.member_id = @member");
            parameters.Add(new NpgsqlParameter("member", member));
        }

        if (query.Category is not null)
        {
            filters.Append(" AND p.category = @category");
            parameters.Add(new NpgsqlParameter("category", query.Category));
        }

        if (query.MinPrice is { } min)
        {
            filters.Append(" AND p.min_price_rupiah >= @min_price");
            parameters.Add(new NpgsqlParameter("min_price", min));
        }

        if (query.MaxPrice is { } max)
        {
            filters.Append(" AND p.min_price_rupiah <= @max_price");
            parameters.Add(new NpgsqlParameter("max_price", max));
        }

        if (query.HalalOnly)
        {
            filters.Append(" AND p.halal_certificate_number IS NOT NULL AND p.halal_valid_until >= @today");
        }

        if (query.InStockOnly)
        {
            // Kept by a trigger on variants (see the ProductAvailability migration).
            filters.Append(" AND p.in_stock");
        }

        var others = filters.ToString();
        var matching = q is null ? others : others + $" AND {Matches(Tiers[^1])}";
        var offset = (query.Page - 1) * query.PageSize;

        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            var npgsqlTransaction = (NpgsqlTransaction)transaction.GetDbTransaction();
            // However a query is written, it cannot hold a connection for long. A bounded statement, and no parallel
            // workers: they cost more to start than these queries take. Sent with the first query: one round trip less.
            var timeoutMs = (int)(statementTimeout ?? TimeSpan.FromMilliseconds(1500)).TotalMilliseconds;
            var prologue = $"SET LOCAL statement_timeout = '{timeoutMs}ms'; SET LOCAL max_parallel_workers_per_gather = 0;\n";
            NpgsqlCommand Command(string sql, Plan plan)
            {
                var command = new NpgsqlCommand(prologue + PlanSettings(plan) + sql, connection, npgsqlTransaction);
                prologue = string.Empty;
                command.Parameters.AddRange(parameters.Select(p => p.Clone()).ToArray());
                return command;
            }

            // Counting a large result costs more than the page itself: stop at MaxCount and say "more". A search's
            // matches come from the GIN index; left to itself, the planner may read the whole table for a word it
            // wrongly thinks common.
            var countSql = $"SELECT count(*) FROM (SELECT 1 FROM catalog.products p{matching} LIMIT {MaxCount + 1}) matches";
            var relevance = q is not null && query.Sort is null or "relevance";
            int? total = null;
            var sample = new long[Tiers.Length];
            var ids = new List<Guid>(query.PageSize);
            // A broad search walks the newest products first, when that is cheaper than reading every match from
            // the GIN indexes (see NewestFirst): it stops once it has seen enough. Only the filters that index holds.
            var walk = relevance && others == InStockOnlyFilters[query.InStockOnly]
                ? NewestFirst.For(searchText!, offset + query.PageSize, query.InStockOnly)
                : null;
            if (walk is not null)
            {
                await using var walked = Command(NewestFirstSql(query.InStockOnly), Plan.Newest);
                walked.Parameters.AddWithValue("pilot", walk.Pilot);
                walked.Parameters.AddWithValue("pilot_needed", walk.PilotNeeded);
                walked.Parameters.AddWithValue("bound", walk.Bound);
                walked.Parameters.AddWithValue("enough", walk.Enough);
                walked.Parameters.AddWithValue("take", offset + query.PageSize);
                walked.Parameters.AddWithValue("limit", query.PageSize);
                walked.Parameters.AddWithValue("offset", offset);
                var walkedItems = new List<ProductSummary>(query.PageSize);
                long seen = 0;
                var proven = walk.Proof is null;
                await using (var reader = await walked.ExecuteReaderAsync(cancellationToken))
                {
                    while (await reader.ReadAsync(cancellationToken))
                    {
                        seen = reader.GetInt64(0);
                        sample = [reader.GetInt64(1), reader.GetInt64(2), 0];
                        if (!reader.IsDBNull(3))
                        {
                            walkedItems.Add(Read(reader, 3));
                        }
                    }

                }

                // The narrower query's count, once the walk has found the page's matches: its own GIN lists, one per word.
                if (walk.Proof is not null && seen >= walk.Enough)
                {
                    await using var proof = Command(
                        $"SELECT count(*) FROM (SELECT 1 FROM catalog.products p{others} AND p.search_vector @@ to_tsquery('simple', @proof) LIMIT {MaxCount + 1}) proof",
                        Plan.Bitmap);
                    proof.Parameters.AddWithValue("proof", walk.Proof);
                    proven = (long)(await proof.ExecuteScalarAsync(cancellationToken))! > MaxCount;
                }

                // Enough matches seen, newest first: more than MaxCount of them (counted, known from the vocabulary, or
                // shown by the narrower query), and the page is the best tier's newest when that tier alone fills it.
                // Otherwise the tiers below.
                if (seen >= walk.Enough && proven)
                {
                    Activity.Current?.SetTag("search.plan", "newest first");
                    Activity.Current?.SetTag("search.counted_by", walk.Proof is not null ? "narrower query" : walk.Enough > MaxCount ? "walk" : "vocabulary");
                    total = MaxCount + 1;
                    if (walkedItems.Count == query.PageSize)
                    {
                        await transaction.CommitAsync(cancellationToken);
                        return new ProductPage(walkedItems, MaxCount, true, query.Page, query.PageSize);
                    }
                }
                else
                {
                    sample = new long[Tiers.Length];
                }
            }

            if (relevance && total is null)
            {
                Activity.Current?.SetTag("search.plan", walk is null ? "matches first" : "matches first, after a walk");
                // One pass over the GIN index gives the first MaxCount + 1 matches with their tiers: when that is all
                // of them, the page is ordered from them at once, details included; otherwise they say how common
                // each tier is.
                await using var first = Command(
                    $"""
                    WITH m AS MATERIALIZED (
                        SELECT p.id, p.published_at, {TierOf} AS tier FROM catalog.products p{matching} LIMIT {MaxCount + 1}),
                    s AS (SELECT count(*) AS total, count(*) FILTER (WHERE tier = 3) AS best, count(*) FILTER (WHERE tier = 2) AS second FROM m),
                    page AS (SELECT m.id, m.tier, m.published_at FROM m ORDER BY m.tier DESC, m.published_at DESC, m.id LIMIT @limit OFFSET @offset)
                    SELECT s.total, s.best, s.second, {Details}
                    FROM s LEFT JOIN (page JOIN catalog.products p ON p.id = page.id {CoverJoin}) ON true
                    ORDER BY page.tier DESC, page.published_at DESC, page.id
                    """,
                    Plan.Bitmap);
                first.Parameters.AddWithValue("limit", query.PageSize);
                first.Parameters.AddWithValue("offset", offset);
                var firstItems = new List<ProductSummary>(query.PageSize);
                await using (var reader = await first.ExecuteReaderAsync(cancellationToken))
                {
                    while (await reader.ReadAsync(cancellationToken))
                    {
                        total = (int)reader.GetInt64(0);
                        sample = [reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(0) - reader.GetInt64(1) - reader.GetInt64(2)];
                        if (!reader.IsDBNull(3))
                        {
                            firstItems.Add(Read(reader, 3));
                        }
                    }
                }

                if (total <= MaxCount)
                {
                    await transaction.CommitAsync(cancellationToken);
                    return new ProductPage(firstItems, total.Value, false, query.Page, query.PageSize);
                }
            }
            else if (!relevance && q is not null)
            {
                await using var count = Command(countSql, Plan.Bitmap);
                total = (int)(long)(await count.ExecuteScalarAsync(cancellationToken))!;
            }

            if (total == 0)
            {
                await transaction.CommitAsync(cancellationToken);
                return new ProductPage([], 0, false, query.Page, query.PageSize);
            }

            string page;
            string order;
            var plan = Plan.Planners;
            var last = (Sql: (string?)null, Skip: 0, Take: 0);
            if (relevance)
            {
                // Many matches: tier by tier, each the newest first, until the page is full. The best tier of a broad
                // word usually fills it at once; ordering every match grew with the catalogue.
                var skip = offset;
                for (var tier = 0; tier < Tiers.Length && ids.Count < query.PageSize; tier++)
                {
                    var take = skip + query.PageSize - ids.Count;
                    // A tier that fills the page from the sample alone is read newest first from ix_products_newest,
                    // which holds the tiers' vectors: a short walk, usually without a visit to the table. It is
                    // read together with the page's details.
                    if (sample[tier] >= take)
                    {
                        last = (TierSql(others, tier), skip, query.PageSize - ids.Count);
                        break;
                    }

                    // Otherwise the tier's first few matches come from its GIN index, ordered whole if that is all.
                    var probe = await ProbeAsync(Command, others, tier, take, cancellationToken);
                    var found = probe.Newest;
                    if (probe.Size > SmallTier)
                    {
                        if (take <= SmallTier)
                        {
                            last = (TierSql(others, tier), skip, query.PageSize - ids.Count);
                            break;
                        }

                        found = await NewestAsync(Command, TierSql(others, tier), take, cancellationToken);
                    }

                    ids.AddRange(found.Skip(skip));
                    skip = Math.Max(0, skip - found.Count);
                }

                plan = Plan.Newest;
                page = "SELECT t.id, t.ord, NULL::timestamptz AS published_at FROM unnest(@ids) WITH ORDINALITY AS t(id, ord)"
                    + (last.Sql is null ? string.Empty : $"""

                        UNION ALL
                        (SELECT p.id, {ids.Count + 1}::bigint, p.published_at FROM {last.Sql}
                         ORDER BY p.published_at DESC, p.id LIMIT @last_take OFFSET @last_skip)
                        """);
                order = "page.ord, page.published_at DESC, page.id";
            }
            else
            {
                var orderBy = OrderBy(query.Sort);
                page = $"SELECT p.id FROM catalog.products p{matching} ORDER BY {orderBy} LIMIT @limit OFFSET @offset";
                order = orderBy;
            }

            await using var command = Command(
                $"""
                WITH page AS ({page})
                SELECT {Details}
                FROM page
                JOIN catalog.products p ON p.id = page.id
                {CoverJoin}
                ORDER BY {order}
                """,
                plan);
            command.Parameters.AddWithValue("limit", query.PageSize);
            command.Parameters.AddWithValue("offset", offset);
            command.Parameters.AddWithValue("ids", ids.ToArray());
            command.Parameters.AddWithValue("last_take", last.Take);
            command.Parameters.AddWithValue("last_skip", last.Skip);
            var items = new List<ProductSummary>(query.PageSize);
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    items.Add(Read(reader));
                }
            }

            // A short first page is the whole result: no need to count.
            if (total is null && !(query.Page == 1 && items.Count < query.PageSize))
            {
                await using var count = Command(countSql, Plan.Planners);
                total = (int)(long)(await count.ExecuteScalarAsync(cancellationToken))!;
            }

            total ??= items.Count;
            await transaction.CommitAsync(cancellationToken);
            return new ProductPage(items, Math.Min(total.Value, MaxCount), total > MaxCount, query.Page, query.PageSize);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// Relevance tiers, best first: every word in the product's name (either language), else in the name and the
    /// maker's name, else anywhere (descriptions too). Each is a stored vector with its own GIN index (see the
    /// SearchTiers migration); every tier's matches include the tiers above it. Within a tier, the newest first.
    /// </summary>
    private static readonly string[] Tiers = ["name_vector", "name_maker_vector", "search_vector"];

    /// <summary>A tier with at most this many matches is ordered whole; a larger one is read newest first.</summary>
    private const int SmallTier = 500;

    private static readonly string TierOf =
        $"CASE WHEN {Matches(Tiers[0])} THEN 3 WHEN {Matches(Tiers[1])} THEN 2 ELSE 1 END";

    private static string Matches(string vector) => $"p.{vector} @@ to_tsquery('simple', @q)";

    /// <summary>The filters a walk down ix_products_newest can check from the index alone, with and without "in stock".</summary>
    private static readonly Dictionary<bool, string> InStockOnlyFilters = new()
    {
        [false] = " WHERE p.on_sale",
        [true] = " WHERE p.on_sale AND p.in_stock",
    };

    /// <summary>
    /// Down ix_products_newest, which holds the name and maker tiers' vectors: the newest products on sale (in stock
    /// when asked), at most @bound of them, until @enough match by name or maker. A pilot walk of the first @pilot
    /// judges first whether they are common enough among the newest: a walk that would not find enough within its
    /// bound does not start (the planner runs the gated part only when the pilot's count allows it). Returns one row
    /// of counts (matches seen, by name, by maker), with the page's details when the name tier alone fills it.
    /// </summary>
    private static string NewestFirstSql(bool inStockOnly)
    {
        var filters = InStockOnlyFilters[inStockOnly];
        return $"""
            WITH pilot AS MATERIALIZED (
                SELECT count(*) AS found FROM (
                    SELECT p.name_maker_vector FROM catalog.products p{filters} ORDER BY p.published_at DESC, p.id LIMIT @pilot) x
                WHERE x.name_maker_vector @@ to_tsquery('simple', @q)),
            m AS MATERIALIZED (
                SELECT w.id, w.published_at, w.tier FROM (
                    SELECT p.id, p.published_at, CASE WHEN {Matches(Tiers[0])} THEN 3 WHEN {Matches(Tiers[1])} THEN 2 ELSE 0 END AS tier
                    FROM catalog.products p{filters} ORDER BY p.published_at DESC, p.id LIMIT @bound) w
                WHERE w.tier > 0 AND (SELECT found FROM pilot) >= @pilot_needed
                ORDER BY w.published_at DESC, w.id
                LIMIT @enough),
            s AS (SELECT count(*) AS seen, count(*) FILTER (WHERE tier = 3) AS best, count(*) FILTER (WHERE tier = 2) AS second FROM m),
            page AS (
                SELECT m.id, m.published_at FROM m WHERE m.tier = 3 AND (SELECT best FROM s) >= @take
                ORDER BY m.published_at DESC, m.id LIMIT @limit OFFSET @offset)
            SELECT s.seen, s.best, s.second, {Details}
            FROM s LEFT JOIN (page JOIN catalog.products p ON p.id = page.id {CoverJoin}) ON true
            ORDER BY page.published_at DESC, page.id
            """;
    }

    /// <summary>The products of one tier alone (not of a better one), under the shopper's other filters.</summary>
    private static string TierSql(string filters, int tier) =>
        $"catalog.products p{filters} AND {Matches(Tiers[tier])}" + (tier == 0 ? string.Empty : $" AND NOT {Matches(Tiers[tier - 1])}");

    /// <summary>
    /// The planner cannot tell a rare word from a common one well enough here (a prefix it has no statistics for looks
    /// common), and a wrong guess either reads every match or walks the whole newest-first index. So the plan is
    /// chosen from what is found: a tier's first few matches from its GIN index, ordered whole if that is all of them.
    /// </summary>
    private static string ProbeSql(string filters, int tier) => $"""
        WITH m AS MATERIALIZED (SELECT p.id, p.published_at FROM {TierSql(filters, tier)} LIMIT {SmallTier + 1})
        SELECT m.id, (SELECT count(*) FROM m) FROM m ORDER BY m.published_at DESC, m.id LIMIT @take
        """;

    private static async Task<TierProbe> ProbeAsync(
        Func<string, Plan, NpgsqlCommand> command, string filters, int tier, int take, CancellationToken cancellationToken)
    {
        await using var probe = command(ProbeSql(filters, tier), Plan.Bitmap);
        probe.Parameters.AddWithValue("take", take);
        await using var reader = await probe.ExecuteReaderAsync(cancellationToken);
        return await TierProbe.ReadAsync(reader, cancellationToken);
    }

    private static async Task<List<Guid>> NewestAsync(
        Func<string, Plan, NpgsqlCommand> command, string tierSql, int take, CancellationToken cancellationToken)
    {
        await using var newest = command($"SELECT p.id FROM {tierSql} ORDER BY p.published_at DESC, p.id LIMIT @take", Plan.Newest);
        newest.Parameters.AddWithValue("take", take);
        var found = new List<Guid>(take);
        await using var reader = await newest.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            found.Add(reader.GetGuid(0));
        }

        return found;
    }

    /// <summary>A tier's newest matches among its first <see cref="SmallTier"/> + 1, and how many those were.</summary>
    private sealed record TierProbe(List<Guid> Newest, long Size)
    {
        public static async Task<TierProbe> ReadAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
        {
            var newest = new List<Guid>();
            long size = 0;
            while (await reader.ReadAsync(cancellationToken))
            {
                newest.Add(reader.GetGuid(0));
                size = reader.GetInt64(1);
            }

            return new TierProbe(newest, size);
        }
    }

    private enum Plan
    {
        /// <summary>Whatever the planner thinks best.</summary>
        Planners,

        /// <summary>From the GIN indexes: a bounded set of matches, in no order.</summary>
        Bitmap,

        /// <summary>Down ix_products_newest (or another btree), filtering as it goes.</summary>
        Newest,
    }

    // Planner settings last for the transaction (SET LOCAL), so each statement states its own.
    private static string PlanSettings(Plan plan) => plan switch
    {
        Plan.Bitmap => "SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off; SET LOCAL enable_bitmapscan = on;\n",
        Plan.Newest => "SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = on; SET LOCAL enable_bitmapscan = off;\n",
        _ => "SET LOCAL enable_seqscan = on; SET LOCAL enable_indexscan = on; SET LOCAL enable_bitmapscan = on;\n",
    };

    private static string? Validate(SearchQuery query)
    {
        if (query.Page is < 1 or > MaxPage)
        {
            throw new DomainException($"page is 1 to {MaxPage}.", "invalid_page");
        }

        if (query.PageSize is < 1 or > MaxPageSize)
        {
            throw new DomainException($"pageSize is 1 to {MaxPageSize}.", "invalid_page_size");
        }

        if (query.Category is not null && !ProductCategories.IsKnown(query.Category))
        {
            throw new DomainException($"Unknown category '{query.Category}'.", "invalid_category");
        }

        if (query.MinPrice < 0 || query.MaxPrice < 0 || query.MinPrice > query.MaxPrice)
        {
            throw new DomainException("The price range is invalid.", "invalid_price_range");
        }

        if (query.Sort is not (null or "relevance" or "newest" or "price_asc" or "price_desc" or "rating"))
        {
            throw new DomainException("sort is relevance, newest, price_asc, price_desc or rating.", "invalid_sort");
        }

        var q = query.Q?.Trim();
        if (string.IsNullOrEmpty(q))
        {
            return null;
        }

        if (q.Length > MaxQueryLength)
        {
            throw new ValidationFailedException([new FieldError("q", "query_too_long", $"The search text is at most {MaxQueryLength} characters.")]);
        }

        // A query string is not a JSON body: the control-character rule is applied here (PostgreSQL refuses a NUL).
        if (ControlCharacters.Refused(q, allowLineBreaks: false))
        {
            throw new ValidationFailedException([new FieldError("q", ControlCharacters.Code, "Control characters are not allowed in the search text.")]);
        }

        return q;
    }

    /// <summary>Orders without a search text (relevance means the newest then), and searches sorted otherwise.</summary>
    private static string OrderBy(string? sort) => sort switch
    {
        "price_asc" => "p.min_price_rupiah, p.id",
        "price_desc" => "p.min_price_rupiah DESC, p.id",
        // Best average first (unrated last), ties by how many reviewed, then the newest: ix_products_rating.
        "rating" => "p.rating_average DESC NULLS LAST, p.rating_count DESC, p.published_at DESC, p.id",
        _ => "p.published_at DESC, p.id",
    };

    /// <summary>The columns <see cref="Read"/> reads, from <c>p</c> (products) and <c>cover</c> (<see cref="CoverJoin"/>).</summary>
    private const string Details = """
        p.id, p.cooperative_id, p.member_id, p.name_id, p.name_en, p.category, p.maker_name, p.min_price_rupiah, p.in_stock,
        (p.halal_certificate_number IS NOT NULL AND p.halal_valid_until >= @today) AS halal,
        cover.renditions::jsonb ->> '320.webp', cover.renditions::jsonb ->> '640.webp', p.rating_average, p.rating_count
        """;

    private const string CoverJoin = """
        LEFT JOIN LATERAL (
            SELECT i.renditions FROM catalog.product_images i
            WHERE i.product_id = p.id AND i.status = 'Ready' ORDER BY i.position LIMIT 1) cover ON true
        """;

    private static ProductSummary Read(DbDataReader reader, int first = 0)
    {
        var category = reader.GetString(first + 5);
        var cover = reader.IsDBNull(first + 10) ? null : reader.GetString(first + 10);
        var coverLarge = reader.IsDBNull(first + 11) ? null : reader.GetString(first + 11);
        return new ProductSummary(
            reader.GetGuid(first),
            reader.GetGuid(first + 1),
            reader.GetGuid(first + 2),
            reader.GetString(first + 3),
            reader.IsDBNull(first + 4) ? null : reader.GetString(first + 4),
            category,
            reader.GetString(first + 6),
            reader.GetInt64(first + 7),
            reader.GetBoolean(first + 8),
            reader.GetBoolean(first + 9),
            ProductCategories.IsFood(category),
            cover is null ? null : ImageUrls.Rendition(cover, "webp"),
            coverLarge is null ? null : ImageUrls.Rendition(coverLarge, "webp"),
            Rating: Reviews.RatingResponse.Of(reader.IsDBNull(first + 12) ? null : reader.GetDecimal(first + 12), reader.GetInt32(first + 13)));
    }
}

public sealed record SearchQuery(
    string? Q,
    Guid? Cooperative,
    Guid? Member,
    string? Category,
    long? MinPrice,
    long? MaxPrice,
    bool HalalOnly,
    bool InStockOnly,
    string? Sort,
    int Page,
    int PageSize);
