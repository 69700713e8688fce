using System.Text.RegularExpressions;
using Marketplace.Catalog.Data;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Catalog.Search;

public sealed class SearchVocabularyOptions
{
    /// <summary>How stale the typo-correction vocabulary may get; exact words are found at once regardless.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The longest one search statement may run before PostgreSQL stops it: no query, however written, holds a
    /// connection for long. Tests on a loaded machine allow more.
    /// </summary>
    public TimeSpan StatementTimeout { get; set; } = TimeSpan.FromMilliseconds(1500);
}

/// <summary>
/// Turns what a shopper typed into a full-text query: each word, or the nearest word the catalogue
/// really contains when it is misspelt ("krupuk" becomes "krupuk | kerupuk").
/// </summary>
public static partial class SearchVocabulary
{
    public const int MaxWords = 8;

    /// <summary>The query's words: letters and digits only, lowercased, so they are safe inside a tsquery.</summary>
    public static IReadOnlyList<string> Words(string text) =>
        WordPattern().Matches(text.ToLowerInvariant()).Select(m => m.Value).Where(w => w.Length <= 40).Distinct().Take(MaxWords).ToList();

    /// <summary>
    /// Builds the tsquery text: every word must match, as typed or as corrected; the last may be a prefix. Says with it
    /// how common each word is, as the vocabulary last counted (see <see cref="SearchText"/>).
    /// </summary>
    public static async Task<SearchText?> ToTsQueryAsync(CatalogDbContext db, string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var words = Words(text);
        if (words.Count == 0)
        {
            return null;
        }

        var nearest = await db.Database.SqlQuery<WordAlternatives>(Query(words)).ToListAsync(cancellationToken);
        var last = words[^1];
        var byWord = nearest.ToDictionary(n => n.Word);
        var lastWord = byWord.GetValueOrDefault(last);
        var completions = lastWord is null ? [] : lastWord.Completions.Zip(lastWord.CompletionDocs).ToArray();

        var groups = new List<string>(words.Count);
        var counts = new List<WordCount>(words.Count);
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            var found = byWord.GetValueOrDefault(word);
            var isLast = i == words.Count - 1;
            // The last word may be unfinished ("kerupu"): it matches the words it begins. When the vocabulary knows it
            // and only a few words it begins, they are named outright: an exact word is a cheap lookup in the GIN
            // index, a prefix (:*) gathers every matching entry first and costs several times more in a large
            // catalogue. A word newer than the vocabulary (refreshed every few minutes) is then found whole, not yet
            // by its beginning; a fragment the vocabulary knows nothing about stays a prefix.
            var named = isLast && completions.Length <= MaxCompletions && !word.All(char.IsAsciiDigit)
                && (found?.Docs is not null || completions.Length > 0);
            var prefix = isLast && !named ? ":*" : string.Empty;
            var alternatives = new List<string> { word + prefix };
            // What each named word holds: the word itself when known, then its completions and corrections.
            var docs = new List<(string Word, long Docs)> { (word, found?.Docs ?? 0) };
            if (named)
            {
                foreach (var (completion, ndoc) in completions.Where(c => c.First.Length > 0 && c.First.All(char.IsLetterOrDigit)))
                {
                    alternatives.Add(completion);
                    docs.Add((completion, ndoc));
                }
            }

            // PostgreSQL's parser reads "Motif-2" as a word and a signed number ("-2"): a number the shopper typed
            // also matches its signed form, so "motif 2" and "motif-2" both find it.
            if (word.All(char.IsAsciiDigit))
            {
                alternatives.Add($"'-{word}'{prefix}");
            }

            if (found is not null)
            {
                foreach (var (correction, ndoc) in found.Alternatives.Zip(found.AlternativeDocs).Where(n => n.First.Length > 0 && n.First.All(char.IsLetterOrDigit)))
                {
                    alternatives.Add(correction);
                    docs.Add((correction, ndoc));
                }
            }

            groups.Add("(" + string.Join(" | ", alternatives) + ")");
            var commonest = docs.MaxBy(d => d.Docs);
            counts.Add(new WordCount(commonest.Docs, docs.Sum(d => d.Docs), commonest.Docs > 0 ? commonest.Word : null));
        }

        return new SearchText(string.Join(" & ", groups), counts, nearest.Count == 0 ? 0 : nearest[0].Products);
    }

    /// <summary>
    /// The vocabulary's query for the shopper's words (see <see cref="Words"/>), the last perhaps unfinished; the search
    /// benchmark explains this same statement.
    /// </summary>
    public static FormattableString Query(IReadOnlyList<string> words)
    {
        ArgumentNullException.ThrowIfNull(words);
        // One round trip for every word: its two nearest real words, when it is long enough to be misspelt and
        // is not a word of the catalogue already (a real word is not "corrected" into a broader search); and the
        // catalogue's words that the last word begins (see ToTsQueryAsync); each with the number of products on sale holding
        // it, and the planner's count of products (its estimate: -1 before the table was first analysed).
        var last = words[^1];
        return $"""
            SELECT w.word AS "Word", coalesce(a.words, ARRAY[]::text[]) AS "Alternatives", coalesce(a.docs, ARRAY[]::integer[]) AS alternative_docs,
                known.ndoc AS "Docs", coalesce(c.words, ARRAY[]::text[]) AS "Completions", coalesce(c.docs, ARRAY[]::integer[]) AS completion_docs,
                (SELECT greatest(r.reltuples, 0)::bigint FROM pg_class r WHERE r.oid = 'catalog.products'::regclass) AS "Products"
            FROM unnest({words.ToArray()}) AS w(word)
            LEFT JOIN catalog.search_words known ON known.word = w.word
            LEFT JOIN LATERAL (
                SELECT array_agg(s.word) AS words, array_agg(s.ndoc) AS docs FROM (
                    SELECT v.word, v.ndoc FROM catalog.search_words v
                    WHERE length(w.word) >= 4 AND known.word IS NULL AND v.word % w.word AND v.word <> w.word
                    ORDER BY similarity(v.word, w.word) DESC, v.ndoc DESC LIMIT 2) s) a ON true
            LEFT JOIN LATERAL (
                SELECT array_agg(s.word) AS words, array_agg(s.ndoc) AS docs FROM (
                    SELECT v.word, v.ndoc FROM catalog.search_words v
                    WHERE w.word = {last} AND v.word LIKE {last + "%"} AND v.word <> {last}
                    LIMIT {MaxCompletions + 1}) s) c ON true
            """;
    }

    /// <summary>A last word beginning more of the catalogue's words than this is searched as a prefix.</summary>
    private const int MaxCompletions = 8;

    private sealed record WordAlternatives(
        string Word, string[] Alternatives, int[] AlternativeDocs, int? Docs, string[] Completions, int[] CompletionDocs, long Products);

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex WordPattern();
}

/// <summary>
/// A shopper's words as a full-text query (<paramref name="TsQuery"/>), with what the vocabulary knew of them when it was
/// last refreshed: for each word, in order, how many products on sale held it (<see cref="WordCount"/>), and about how
/// many products there are (<paramref name="Products"/>, the planner's estimate; 0 when unknown). The counts choose
/// how a search is run, never what it finds.
/// </summary>
public sealed record SearchText(string TsQuery, IReadOnlyList<WordCount> Words, long Products);

/// <param name="AtLeast">
/// Products on sale holding the word or one of the words it stands for (its completions, its corrections): the most
/// common of them; 0 when the vocabulary knows none of them.
/// </param>
/// <param name="Listed">The same counts added up: the length of the lists a GIN index reads for this word.</param>
/// <param name="Commonest">The word <paramref name="AtLeast"/> counts (null when none is known).</param>
public sealed record WordCount(long AtLeast, long Listed, string? Commonest = null);

/// <summary>Refreshes the vocabulary now and then; one replica at a time, thanks to an advisory lock.</summary>
public sealed class SearchVocabularyRefresher(
    IServiceScopeFactory scopes,
    Microsoft.Extensions.Options.IOptions<SearchVocabularyOptions> options,
    TimeProvider clock,
    ILogger<SearchVocabularyRefresher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RefreshAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is Npgsql.NpgsqlException or InvalidOperationException)
            {
                logger.LogWarning(ex, "Refreshing the search vocabulary failed; retrying later");
            }

            await Task.Delay(options.Value.RefreshInterval, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var locked = await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_xact_lock(hashtext('catalog.search_words')) AS \"Value\"").SingleAsync(cancellationToken);
        if (locked)
        {
            await db.Database.ExecuteSqlRawAsync("REFRESH MATERIALIZED VIEW CONCURRENTLY catalog.search_words", cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }
}
