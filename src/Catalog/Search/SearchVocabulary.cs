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

    /// <summary>Builds the tsquery text: every word must match, as typed or as corrected; the last may be a prefix.</summary>
    public static async Task<string?> ToTsQueryAsync(CatalogDbContext db, string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var words = Words(text);
        if (words.Count == 0)
        {
            return null;
        }

        // One round trip for every word: its two nearest real words, when it is long enough to be misspelt and
        // is not a word of the catalogue already (a real word is not "corrected" into a broader search); and the
        // catalogue's words that the last word begins (see below).
        var last = words[^1];
        var nearest = await db.Database.SqlQuery<WordAlternatives>($"""
                SELECT w.word AS "Word", coalesce((
                    SELECT array_agg(s.word) FROM (
                        SELECT v.word FROM catalog.search_words v
                        WHERE length(w.word) >= 4 AND v.word % w.word AND v.word <> w.word
                          AND NOT EXISTS (SELECT 1 FROM catalog.search_words known WHERE known.word = w.word)
                        ORDER BY similarity(v.word, w.word) DESC, v.ndoc DESC LIMIT 2) s), ARRAY[]::text[]) AS "Alternatives",
                    EXISTS (SELECT 1 FROM catalog.search_words known WHERE known.word = w.word) AS "Known",
                    CASE WHEN w.word = {last} THEN (
                        SELECT coalesce(array_agg(c.word), ARRAY[]::text[]) FROM (
                            SELECT v.word FROM catalog.search_words v WHERE v.word LIKE {last + "%"} AND v.word <> {last}
                            LIMIT {MaxCompletions + 1}) c) ELSE ARRAY[]::text[] END AS "Completions"
                FROM unnest({words.ToArray()}) AS w(word)
                """)
            .ToListAsync(cancellationToken);
        var alternativesByWord = nearest.ToDictionary(n => n.Word, n => n.Alternatives);
        var lastWord = nearest.FirstOrDefault(n => n.Word == last);
        var completions = lastWord?.Completions ?? [];

        var groups = new List<string>(words.Count);
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            var isLast = i == words.Count - 1;
            // The last word may be unfinished ("kerupu"): it matches the words it begins. When the vocabulary knows it
            // and only a few words it begins, they are named outright: an exact word is a cheap lookup in the GIN
            // index, a prefix (:*) gathers every matching entry first and costs several times more in a large
            // catalogue. A word newer than the vocabulary (refreshed every few minutes) is then found whole, not yet
            // by its beginning; a fragment the vocabulary knows nothing about stays a prefix.
            var named = isLast && completions.Length <= MaxCompletions && !word.All(char.IsAsciiDigit)
                && (lastWord?.Known == true || completions.Length > 0);
            var prefix = isLast && !named ? ":*" : string.Empty;
            var alternatives = new List<string> { word + prefix };
            if (named)
            {
                alternatives.AddRange(completions.Where(c => c.Length > 0 && c.All(char.IsLetterOrDigit)));
            }

            // PostgreSQL's parser reads "Motif-2" as a word and a signed number ("-2"): a number the shopper typed
            // also matches its signed form, so "motif 2" and "motif-2" both find it.
            if (word.All(char.IsAsciiDigit))
            {
                alternatives.Add($"'-{word}'{prefix}");
            }

            alternatives.AddRange(alternativesByWord.GetValueOrDefault(word, []).Where(n => n.Length > 0 && n.All(char.IsLetterOrDigit)));
            groups.Add("(" + string.Join(" | ", alternatives) + ")");
        }

        return string.Join(" & ", groups);
    }

    /// <summary>A last word beginning more of the catalogue's words than this is searched as a prefix.</summary>
    private const int MaxCompletions = 8;

    private sealed record WordAlternatives(string Word, string[] Alternatives, bool Known, string[] Completions);

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex WordPattern();
}

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
