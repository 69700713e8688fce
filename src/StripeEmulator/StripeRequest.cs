using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Marketplace.StripeEmulator;

/// <summary>What Stripe's API reads off a request: the form parameters, the connected account, the idempotency key.</summary>
public sealed class StripeRequest
{
    private StripeRequest(Dictionary<string, string> form, string? account, string? idempotencyKey)
    {
        Form = form;
        Account = account;
        IdempotencyKey = idempotencyKey;
    }

    /// <summary>Flat form keys as Stripe.net sends them, e.g. <c>line_items[0][price_data][unit_amount]</c>.</summary>
    public Dictionary<string, string> Form { get; }

    public string? Account { get; }

    public string? IdempotencyKey { get; }

    public static async Task<StripeRequest> ReadAsync(HttpRequest request)
    {
        var form = new Dictionary<string, string>(StringComparer.Ordinal);
        if (request.HasFormContentType)
        {
            foreach (var (key, value) in await request.ReadFormAsync())
            {
                form[key] = value.ToString();
            }
        }

        var account = request.Headers["Stripe-Account"].ToString();
        var idempotencyKey = request.Headers["Idempotency-Key"].ToString();
        return new StripeRequest(form, account.Length == 0 ? null : account, idempotencyKey.Length == 0 ? null : idempotencyKey);
    }

    public string? Value(string key) => Form.GetValueOrDefault(key);

    public long? Number(string key) => long.TryParse(Value(key), out var value) ? value : null;

    /// <summary>The entries of a hash parameter: <c>metadata[order_id]=...</c> gives <c>order_id</c>.</summary>
    public Dictionary<string, string> Hash(string prefix) => Form
        .Where(f => f.Key.StartsWith(prefix + "[", StringComparison.Ordinal) && f.Key.EndsWith(']'))
        .ToDictionary(f => f.Key[(prefix.Length + 1)..^1], f => f.Value, StringComparer.Ordinal);

    /// <summary>
    /// Runs a creating request once per idempotency key: the same key with the same parameters gets the first answer
    /// again; with other parameters, Stripe's idempotency error.
    /// </summary>
    public IResult Once(StripeState state, string path, Func<(int Status, object Body)> create)
    {
        lock (state.Gate)
        {
            var fingerprint = Fingerprint(path);
            if (IdempotencyKey is not null && state.TryGetIdempotent(Account, IdempotencyKey, fingerprint, out var earlier))
            {
                return earlier.Conflict
                    ? StripeErrors.Result(400, "idempotency_error",
                        $"Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '{IdempotencyKey}' if you meant to execute a different request.")
                    : Results.Text(earlier.Body, "application/json", Encoding.UTF8, earlier.Status);
            }

            var (status, body) = create();
            var json = JsonSerializer.Serialize(body, EmulatorSetup.Json);
            if (IdempotencyKey is not null && status < 500)
            {
                state.RememberIdempotent(Account, IdempotencyKey, fingerprint, status, json);
            }

            return Results.Text(json, "application/json", Encoding.UTF8, status);
        }
    }

    private string Fingerprint(string path)
    {
        var canonical = path + "?" + string.Join('&', Form.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => f.Key + "=" + f.Value));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }
}

/// <summary>A Stripe error as a value, for handlers that answer through <see cref="StripeRequest.Once"/>.</summary>
public static class StripeErrorBody
{
    public static (int Status, object Body) Invalid(string message, string? param = null) =>
        (400, new { error = new { type = "invalid_request_error", message, code = param is null ? null : "parameter_invalid", param } });

    public static (int Status, object Body) Missing(string resource, string id) =>
        (404, new { error = new { type = "invalid_request_error", message = $"No such {resource}: '{id}'", code = "resource_missing", param = "id" } });
}
