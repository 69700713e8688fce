namespace Marketplace.StripeEmulator;

/// <summary>Errors in Stripe's shape: <c>{"error": {"type", "message", "code", "param"}}</c>.</summary>
public static class StripeErrors
{
    public static IResult Result(int status, string type, string message, string? code = null, string? param = null) =>
        Results.Json(new { error = new { type, message, code, param } }, EmulatorSetup.Json, statusCode: status);

    public static IResult Invalid(string message, string? param = null, string? code = null) =>
        Result(400, "invalid_request_error", message, code ?? (param is null ? null : "parameter_invalid"), param);

    public static IResult Missing(string resource, string id) =>
        Result(404, "invalid_request_error", $"No such {resource}: '{id}'", "resource_missing", "id");
}
