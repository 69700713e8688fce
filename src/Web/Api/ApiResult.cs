using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Marketplace.Web.Api;

/// <summary>What a service said when it refused: its problem details, with the fields it named.</summary>
public sealed record Problem(int Status, string Title, string? Detail, string? Code, IReadOnlyDictionary<string, string[]> Errors)
{
    /// <summary>Each refused field's rule codes, when the service sent them: what a page translates for its reader.</summary>
    public IReadOnlyDictionary<string, string[]> FieldCodes { get; init; } = new Dictionary<string, string[]>();

    /// <summary>
    /// The same refusals said in the reader's language: each field's codes through <paramref name="text"/>, with the
    /// fields renamed by <paramref name="fieldName"/> (a form's rows may not be the request's).
    /// </summary>
    public Problem Localized(Func<string, string> text, Func<string, string>? fieldName = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var rename = fieldName ?? (f => f);
        var errors = FieldCodes.Count > 0
            ? FieldCodes.GroupBy(e => rename(e.Key)).ToDictionary(g => g.Key, g => g.SelectMany(e => e.Value).Select(text).Distinct().ToArray())
            : Errors.GroupBy(e => rename(e.Key)).ToDictionary(g => g.Key, g => g.SelectMany(e => e.Value).ToArray());
        return this with { Errors = errors };
    }

    /// <summary>The messages for one field (the service names fields in camelCase, nested ones with dots).</summary>
    public IReadOnlyList<string> For(string field) =>
        Errors.Where(e => string.Equals(e.Key, field, StringComparison.OrdinalIgnoreCase) || e.Key.StartsWith(field + ".", StringComparison.OrdinalIgnoreCase)
                || e.Key.StartsWith(field + "[", StringComparison.OrdinalIgnoreCase))
            .SelectMany(e => e.Value).ToList();

    /// <summary>
    /// The services name the rule they applied (<c>invalid_whatsapp</c>) rather than a field; a form shows the
    /// refusal next to the field the rule is about, when it knows which.
    /// </summary>
    public Problem AtField(Func<string, string?> fieldOfCode) =>
        Errors.Count > 0 || Code is null || fieldOfCode(Code) is not { } field
            ? this
            : this with { Errors = new Dictionary<string, string[]> { [field] = [Summary] }, FieldCodes = new Dictionary<string, string[]> { [field] = [Code] } };

    /// <summary>A sentence for the top of the form: the detail, or the title.</summary>
    public string Summary => Detail ?? Title;

    public static Problem Unreachable(string what) =>
        new(503, "Service unavailable", $"{what} cannot be reached right now. Nothing was changed; please try again.", "unavailable", new Dictionary<string, string[]>());
}

public sealed class ApiResult<T>
{
    public T? Value { get; init; }

    public Problem? Problem { get; init; }

    public HttpStatusCode Status { get; init; }

    public bool Ok => Problem is null;
}

internal static class ProblemReader
{
    public static async Task<Problem> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        try
        {
            var body = await response.Content.ReadFromJsonAsync<ProblemBody>(Json.Options, cancellationToken);
            if (body is not null)
            {
                return new Problem(status, body.Title ?? response.ReasonPhrase ?? "Error", body.Detail, body.Code, body.Errors ?? new Dictionary<string, string[]>())
                {
                    FieldCodes = body.FieldCodes ?? new Dictionary<string, string[]>(),
                };
            }
        }
        catch (JsonException)
        {
        }
        catch (NotSupportedException)
        {
        }

        return new Problem(status, response.ReasonPhrase ?? "Error", null, null, new Dictionary<string, string[]>());
    }

    private sealed record ProblemBody(string? Title, string? Detail, string? Code, Dictionary<string, string[]>? Errors, Dictionary<string, string[]>? FieldCodes);
}

public static class Json
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };
}
