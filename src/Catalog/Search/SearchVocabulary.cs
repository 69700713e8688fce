using System.Text.RegularExpressions;
using Marketplace.Catalog.Data;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Catalog.Search;

public sealed class SearchVocabularyOptions
{
    /// <summary>How stale the typo-correction vocabulary may get; exact words are found at once regardless.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromMinutes(2);
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
        // is not a word of the catalogue already (a real word is not "corrected" into a broader search).
        var nearest = await db.Database.SqlQuery<WordAlternatives>($"""
                SELECT w.word AS "Word", coalesce((
                    SELECT array_agg(s.word) FROM (
                        SELECT v.word FROM catalog.search_words v
                        WHERE length(w.word) >= 4 AND v.word % w.word AND v.word <> w.word
                          AND NOT EXISTS (SELECT 1 FROM catalog.search_words known WHERE known.word = w.word)
                        ORDER BY similarity(v.word, w.word) DESC, v.ndoc DESC LIMIT 2) s), ARRAY[]::text[]) AS "Alternatives"
                FROM unnest({words.ToArray()}) AS w(word)
                """)
            .ToListAsync(cancellationToken);
        var alternativesByWord = nearest.ToDictionary(n => n.Word, n => n.Alternatives);

        var groups = new List<string>(words.Count);
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            var prefix = i == words.Count - 1 ? ":*" : string.Empty;
            var alternatives = new List<string> { word + prefix };

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

    private sealed record WordAlternatives(string Word, string[] Alternatives);

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
