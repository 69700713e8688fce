using System.Data.Common;
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
    string? ImageUrlLarge);

/// <param name="Total">Matching products, counted up to <see cref="ProductSearch.MaxCount"/>.</param>
/// <param name="TotalIsLowerBound">True when there are more than that: show "1000+".</param>
public sealed record ProductPage(IReadOnlyList<ProductSummary> Items, int Total, bool TotalIsLowerBound, int Page, int PageSize);

/// <summary>
/// Shoppers' list and search: PostgreSQL full text over names, descriptions and the maker's name in both
/// languages, with misspelt words corrected by trigram similarity against the catalogue's vocabulary
/// ("krupuk" finds "kerupuk"), filters, sorting and pages. Every query is bounded: short input, small pages,
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
            .WithSummary("Products on sale: ?q=&cooperative=&member=&category=&minPrice=&maxPrice=&halal=&inStock=&sort=relevance|newest|price_asc|price_desc&page=&pageSize=");
        return api;
    }

    public static async Task<Ok<ProductPage>> SearchAsync(
        CatalogDbContext db,
        TimeProvider clock,
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
        return TypedResults.Ok(await RunAsync(db, query, clock.Today(), cancellationToken));
    }

    public static async Task<ProductPage> RunAsync(CatalogDbContext db, SearchQuery query, DateOnly today, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(query);
        var text = Validate(query);
        var q = text is null ? null : await SearchVocabulary.ToTsQueryAsync(db, text, cancellationToken);
        if (text is not null && q is null)
        {
            // Nothing searchable was typed (only punctuation): nothing matches.
            return new ProductPage([], 0, false, query.Page, query.PageSize);
        }

        // Filters first, on the products table alone; the page's few rows get their details afterwards.
        var filters = new StringBuilder(" WHERE p.on_sale");
        await using var command = (NpgsqlCommand)db.Database.GetDbConnection().CreateCommand();
        await using var count = (NpgsqlCommand)db.Database.GetDbConnection().CreateCommand();
        void Parameter(string name, object value)
        {
            command.Parameters.AddWithValue(name, value);
            count.Parameters.AddWithValue(name, value);
        }

        command.Parameters.AddWithValue("today", today);
        count.Parameters.AddWithValue("today", today);
        if (q is not null)
        {
            filters.Append(" AND p.search_vector @@ to_tsquery('simple', @q)");
            Parameter("q", q);
        }

        if (query.Cooperative is { } cooperative)
        {
            filters.Append(" AND p.cooperative_id = @cooperative");
            Parameter("cooperative", cooperative);
        }

        if (query.Member is { } member)
        {
            filters.Append(" AND p.member_id = @member");
            Parameter("member", member);
        }

        if (query.Category is not null)
        {
            filters.Append(" AND p.category = @category");
            Parameter("category", query.Category);
        }

        if (query.MinPrice is { } min)
        {
            filters.Append(" AND p.min_price_rupiah >= @min_price");
            Parameter("min_price", min);
        }

        if (query.MaxPrice is { } max)
        {
            filters.Append(" AND p.min_price_rupiah <= @max_price");
            Parameter("max_price", max);
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

        var rank = q is null
            ? "0::real"
            : "ts_rank(p.search_vector, to_tsquery('simple', @q))";
        var orderBy = OrderBy(query.Sort, q is not null);
        command.CommandText = $"""
            WITH page AS (
                SELECT p.id, {rank} AS rank, {(q is null ? "NULL::bigint" : "count(*) OVER ()")} AS total
                FROM catalog.products p{filters}
                ORDER BY {orderBy}
                LIMIT @limit OFFSET @offset)
            SELECT p.id, p.cooperative_id, p.member_id, p.name_id, p.name_en, p.category, p.maker_name, p.min_price_rupiah,
                   p.in_stock,
                   (p.halal_certificate_number IS NOT NULL AND p.halal_valid_until >= @today) AS halal,
                   cover.renditions::jsonb ->> '320.webp', cover.renditions::jsonb ->> '640.webp', page.total
            FROM page
            JOIN catalog.products p ON p.id = page.id
            LEFT JOIN LATERAL (
                SELECT i.renditions FROM catalog.product_images i
                WHERE i.product_id = p.id AND i.status = 'Ready' ORDER BY i.position LIMIT 1) cover ON true
            ORDER BY {orderBy.Replace("rank", "page.rank", StringComparison.Ordinal)}
            """;
        command.Parameters.AddWithValue("limit", query.PageSize);
        command.Parameters.AddWithValue("offset", (query.Page - 1) * query.PageSize);
        // Counting a large result costs more than the page itself: stop at MaxCount and say "more".
        count.CommandText = $"SELECT count(*) FROM (SELECT 1 FROM catalog.products p{filters} LIMIT {MaxCount + 1}) matches";

        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            // However a query is written, it cannot hold a connection for long.
            // A bounded statement, and no parallel workers: they cost more to start than these queries take.
            await db.Database.ExecuteSqlRawAsync("SET LOCAL statement_timeout = '1500ms'; SET LOCAL max_parallel_workers_per_gather = 0", cancellationToken);
            command.Transaction = (NpgsqlTransaction)transaction.GetDbTransaction();
            count.Transaction = command.Transaction;
            var items = new List<ProductSummary>(query.PageSize);
            long? counted = null;
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    items.Add(Read(reader));
                    // A text search ranks every match anyway, so counting them there costs nothing more.
                    counted ??= reader.IsDBNull(12) ? null : reader.GetInt64(12);
                }
            }

            // A short first page is the whole result: no need to count.
            var total = counted is { } known ? (int)Math.Min(known, MaxCount + 1)
                : query.Page == 1 && items.Count < query.PageSize ? items.Count
                : (int)(long)(await count.ExecuteScalarAsync(cancellationToken))!;
            await transaction.CommitAsync(cancellationToken);
            return new ProductPage(items, Math.Min(total, MaxCount), total > MaxCount, query.Page, query.PageSize);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

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

        if (query.Sort is not (null or "relevance" or "newest" or "price_asc" or "price_desc"))
        {
            throw new DomainException("sort is relevance, newest, price_asc or price_desc.", "invalid_sort");
        }

        var q = query.Q?.Trim();
        if (string.IsNullOrEmpty(q))
        {
            return null;
        }

        if (q.Length > MaxQueryLength)
        {
            throw new DomainException($"The search text is at most {MaxQueryLength} characters.", "query_too_long");
        }

        return q;
    }

    private static string OrderBy(string? sort, bool hasText) => sort switch
    {
        "newest" => "p.published_at DESC, p.id",
        "price_asc" => "p.min_price_rupiah, p.id",
        "price_desc" => "p.min_price_rupiah DESC, p.id",
        _ when hasText => "rank DESC, p.published_at DESC, p.id",
        _ => "p.published_at DESC, p.id",
    };

    private static ProductSummary Read(DbDataReader reader)
    {
        var category = reader.GetString(5);
        var cover = reader.IsDBNull(10) ? null : reader.GetString(10);
        var coverLarge = reader.IsDBNull(11) ? null : reader.GetString(11);
        return new ProductSummary(
            reader.GetGuid(0),
            reader.GetGuid(1),
            reader.GetGuid(2),
            reader.GetString(3),
            reader.IsDBNull(4) ? null : reader.GetString(4),
            category,
            reader.GetString(6),
            reader.GetInt64(7),
            reader.GetBoolean(8),
            reader.GetBoolean(9),
            ProductCategories.IsFood(category),
            cover is null ? null : ImageUrls.Rendition(cover, "webp"),
            coverLarge is null ? null : ImageUrls.Rendition(coverLarge, "webp"));
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
