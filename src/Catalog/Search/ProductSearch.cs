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

public sealed record ProductPage(IReadOnlyList<ProductSummary> Items, int Total, int Page, int PageSize);

/// <summary>
/// Shoppers' list and search: PostgreSQL full text over names, descriptions and the maker's name in both
/// languages, with trigram similarity for misspellings ("krupuk" finds "kerupuk"), filters, sorting and
/// pages. Every query is bounded: short input, small pages, and a statement timeout.
/// </summary>
public static class ProductSearch
{
    public const int MaxQueryLength = 100;
    public const int MaxPageSize = 48;
    public const int MaxPage = 200;

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
        var q = Validate(query);
        var sql = new StringBuilder("""
            SELECT p.id, p.cooperative_id, p.member_id, p.name_id, p.name_en, p.category, p.maker_name, p.min_price_rupiah,
                   EXISTS (SELECT 1 FROM catalog.variants v WHERE v.product_id = p.id AND v.active AND v.on_hand > v.reserved) AS in_stock,
                   (p.halal_certificate_number IS NOT NULL AND p.halal_valid_until >= @today) AS halal,
                   (SELECT i.renditions::jsonb ->> '320.webp' FROM catalog.product_images i
                     WHERE i.product_id = p.id AND i.status = 'Ready' ORDER BY i.position LIMIT 1) AS cover,
                   (SELECT i.renditions::jsonb ->> '640.webp' FROM catalog.product_images i
                     WHERE i.product_id = p.id AND i.status = 'Ready' ORDER BY i.position LIMIT 1) AS cover_large,
                   count(*) OVER () AS total
            FROM catalog.products p
            WHERE p.on_sale
            """);
        await using var command = (NpgsqlCommand)db.Database.GetDbConnection().CreateCommand();
        command.Parameters.AddWithValue("today", today);
        if (q is not null)
        {
            sql.Append(" AND (p.search_vector @@ websearch_to_tsquery('simple', @q) OR @q_lower <% p.search_text)");
            command.Parameters.AddWithValue("q", q);
            command.Parameters.AddWithValue("q_lower", q.ToLowerInvariant());
        }

        if (query.Cooperative is { } cooperative)
        {
            sql.Append(" AND p.cooperative_id = @cooperative");
            command.Parameters.AddWithValue("cooperative", cooperative);
        }

        if (query.Member is { } member)
        {
            sql.Append(" AND p.member_id = @member");
            command.Parameters.AddWithValue("member", member);
        }

        if (query.Category is not null)
        {
            sql.Append(" AND p.category = @category");
            command.Parameters.AddWithValue("category", query.Category);
        }

        if (query.MinPrice is { } min)
        {
            sql.Append(" AND p.min_price_rupiah >= @min_price");
            command.Parameters.AddWithValue("min_price", min);
        }

        if (query.MaxPrice is { } max)
        {
            sql.Append(" AND p.min_price_rupiah <= @max_price");
            command.Parameters.AddWithValue("max_price", max);
        }

        if (query.HalalOnly)
        {
            sql.Append(" AND p.halal_certificate_number IS NOT NULL AND p.halal_valid_until >= @today");
        }

        if (query.InStockOnly)
        {
            sql.Append(" AND EXISTS (SELECT 1 FROM catalog.variants v WHERE v.product_id = p.id AND v.active AND v.on_hand > v.reserved)");
        }

        sql.Append(OrderBy(query.Sort, q is not null));
        sql.Append(" LIMIT @limit OFFSET @offset");
        command.Parameters.AddWithValue("limit", query.PageSize);
        command.Parameters.AddWithValue("offset", (query.Page - 1) * query.PageSize);
        command.CommandText = sql.ToString();

        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            // However a query is written, it cannot hold a connection for long.
            await db.Database.ExecuteSqlRawAsync("SET LOCAL statement_timeout = '1500ms'", cancellationToken);
            // The default (0.6) misses one dropped letter in a short word: "krupuk" against "kerupuk" scores 0.57.
            await db.Database.ExecuteSqlRawAsync("SET LOCAL pg_trgm.word_similarity_threshold = 0.45", cancellationToken);
            command.Transaction = (NpgsqlTransaction)transaction.GetDbTransaction();
            var items = new List<ProductSummary>(query.PageSize);
            var total = 0;
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    items.Add(Read(reader));
                    total = (int)reader.GetInt64(reader.GetOrdinal("total"));
                }
            }

            await transaction.CommitAsync(cancellationToken);
            if (items.Count == 0 && query.Page > 1)
            {
                total = await CountAsync(db, query, cancellationToken);
            }

            return new ProductPage(items, total, query.Page, query.PageSize);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static Task<int> CountAsync(CatalogDbContext db, SearchQuery query, CancellationToken cancellationToken) =>
        // A page past the end: the total still helps the pager. Only on-sale products count; filters aside.
        db.Products.CountAsync(p => p.OnSale && (query.Cooperative == null || p.CooperativeId == query.Cooperative), cancellationToken);

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
        "newest" => " ORDER BY p.published_at DESC, p.id",
        "price_asc" => " ORDER BY p.min_price_rupiah, p.id",
        "price_desc" => " ORDER BY p.min_price_rupiah DESC, p.id",
        _ when hasText => " ORDER BY ts_rank_cd(p.search_vector, websearch_to_tsquery('simple', @q)) + word_similarity(@q_lower, p.search_text) DESC, p.published_at DESC, p.id",
        _ => " ORDER BY p.published_at DESC, p.id",
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
